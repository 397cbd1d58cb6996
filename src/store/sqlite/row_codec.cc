#include "store/sqlite/row_codec.h"

#include <chrono>
#include <cstring>

#include "store/fs/block_checksums.h"
#include "store/read_integrity.h"

namespace kura::store::sqlite {
namespace {

void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void PutString(std::string& out, std::string_view s) {
  PutU64(out, s.size());
  out.append(s);
}

// Reads from the front of a byte string; every read fails cleanly on truncated input.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool done() const { return bytes_.empty(); }
  std::optional<uint64_t> U64() {
    if (bytes_.size() < 8) return std::nullopt;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<unsigned char>(bytes_[i])} << (8 * i);
    bytes_.remove_prefix(8);
    return v;
  }
  std::optional<std::string> String() {
    auto n = U64();
    if (!n || *n > bytes_.size()) return std::nullopt;
    std::string s(bytes_.substr(0, *n));
    bytes_.remove_prefix(*n);
    return s;
  }

 private:
  std::string_view bytes_;
};

Error Corrupt(std::string_view what) {
  return MakeError(ErrorCode::kInternalError, "corrupt metadata: " + std::string(what));
}

}  // namespace

std::string EncodePairs(const Pairs& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    PutString(out, name);
    PutString(out, value);
  }
  return out;
}

std::optional<Pairs> DecodePairs(std::string_view bytes) {
  Pairs pairs;
  Reader reader(bytes);
  while (!reader.done()) {
    auto name = reader.String();
    auto value = reader.String();
    if (!name || !value) return std::nullopt;
    pairs.emplace_back(std::move(*name), std::move(*value));
  }
  return pairs;
}

std::string EncodeParts(const std::vector<BlobRef::Part>& parts) {
  std::string out;
  for (const auto& part : parts) {
    PutString(out, part.id);
    PutU64(out, part.size);
  }
  return out;
}

std::optional<std::vector<BlobRef::Part>> DecodeParts(std::string_view bytes) {
  std::vector<BlobRef::Part> parts;
  Reader reader(bytes);
  while (!reader.done()) {
    auto id = reader.String();
    auto size = reader.U64();
    if (!id || !size) return std::nullopt;
    parts.push_back({std::move(*id), *size});
  }
  return parts;
}

std::string EncodeObjectTemplate(const ObjectRecord& o) {
  std::string out;
  for (std::string_view s :
       {std::string_view(o.bucket), std::string_view(o.key), std::string_view(o.content_type),
        std::string_view(o.checksum_algorithm), std::string_view(o.checksum_type),
        std::string_view(o.storage_class)}) {
    PutString(out, s);
  }
  PutString(out, EncodePairs(o.headers));
  PutString(out, EncodePairs(o.user_metadata));
  PutString(out, EncodePairs(o.tags));
  PutU64(out, static_cast<uint64_t>(o.retention_mode));
  PutU64(out, static_cast<uint64_t>(ToNanos(o.retain_until)));
  PutU64(out, o.legal_hold ? 1 : 0);
  PutString(out, o.acl);
  PutString(out, o.encryption);
  return out;
}

std::optional<ObjectRecord> DecodeObjectTemplate(std::string_view bytes) {
  ObjectRecord o;
  Reader reader(bytes);
  for (std::string* field : {&o.bucket, &o.key, &o.content_type, &o.checksum_algorithm,
                             &o.checksum_type, &o.storage_class}) {
    auto s = reader.String();
    if (!s) return std::nullopt;
    *field = std::move(*s);
  }
  for (Pairs* field : {&o.headers, &o.user_metadata, &o.tags}) {
    auto s = reader.String();
    if (!s) return std::nullopt;
    auto pairs = DecodePairs(*s);
    if (!pairs) return std::nullopt;
    *field = std::move(*pairs);
  }
  if (reader.done()) return o;  // a template from before schema 4: no lock fields
  auto mode = reader.U64();
  auto until = reader.U64();
  auto hold = reader.U64();
  if (!mode || !until || !hold || *mode > 2) return std::nullopt;
  o.retention_mode = static_cast<RetentionMode>(*mode);
  o.retain_until = FromNanos(static_cast<int64_t>(*until));
  o.legal_hold = *hold != 0;
  if (reader.done()) return o;  // a template from before schema 6: no ACL
  auto acl = reader.String();
  if (!acl) return std::nullopt;
  o.acl = std::move(*acl);
  if (reader.done()) return o;  // a template from before schema 7: plaintext
  auto encryption = reader.String();
  if (!encryption) return std::nullopt;
  o.encryption = std::move(*encryption);
  return o;
}

// Bit 0: configured; bits 1-4: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy,
// RestrictPublicBuckets.
int64_t EncodePublicAccessBlock(const PublicAccessBlock& block) {
  return int64_t{block.configured} | int64_t{block.block_public_acls} << 1 |
         int64_t{block.ignore_public_acls} << 2 | int64_t{block.block_public_policy} << 3 |
         int64_t{block.restrict_public_buckets} << 4;
}

PublicAccessBlock DecodePublicAccessBlock(int64_t bits) {
  return {.configured = (bits & 1) != 0,
          .block_public_acls = (bits & 2) != 0,
          .ignore_public_acls = (bits & 4) != 0,
          .block_public_policy = (bits & 8) != 0,
          .restrict_public_buckets = (bits & 16) != 0};
}

int64_t ToNanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TimePoint FromNanos(int64_t ns) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(ns)));
}

Result<ObjectRecord> ReadObjectRow(const Statement& row, std::string_view bucket) {
  ObjectRecord o;
  o.bucket = bucket;
  o.key = row.Text(0);
  o.size = static_cast<uint64_t>(row.Int(1));
  o.etag = row.Text(2);
  o.last_modified = FromNanos(row.Int(3));
  o.content_type = row.Text(4);
  auto headers = DecodePairs(row.Blob(5));
  auto metadata = DecodePairs(row.Blob(6));
  o.checksum_algorithm = row.Text(7);
  o.checksum_value = row.Text(8);
  o.checksum_type = row.Text(9);
  auto tags = DecodePairs(row.Blob(10));
  o.storage_class = row.Text(11);
  o.parts_count = static_cast<int>(row.Int(12));
  int64_t kind = row.Int(13);
  o.blob.id = row.Text(14);
  auto parts = DecodeParts(row.Blob(15));
  o.version_id = row.Text(16);
  o.is_delete_marker = row.Int(18) != 0;
  int64_t mode = row.Int(19);
  o.retain_until = FromNanos(row.Int(20));
  o.legal_hold = row.Int(21) != 0;
  o.acl = row.Blob(22);
  o.encryption = row.Blob(23);
  if (!headers || !metadata || !tags || !parts || kind < 0 || kind > 2 || mode < 0 || mode > 2) {
    return Corrupt(o.key);
  }
  o.retention_mode = static_cast<RetentionMode>(mode);
  o.headers = std::move(*headers);
  o.user_metadata = std::move(*metadata);
  o.tags = std::move(*tags);
  o.blob.kind = static_cast<BlobRef::Kind>(kind);
  o.blob.parts = std::move(*parts);
  o.blob.size = o.size;
  return o;
}

void BindObjectRow(Statement& stmt, const ObjectRecord& o, int64_t inline_id, int64_t sequence) {
  stmt.Bind(1, o.bucket).Bind(2, o.key).Bind(3, static_cast<int64_t>(o.size)).Bind(4, o.etag);
  stmt.Bind(5, ToNanos(o.last_modified)).Bind(6, o.content_type);
  stmt.BindBlob(7, EncodePairs(o.headers)).BindBlob(8, EncodePairs(o.user_metadata));
  stmt.Bind(9, o.checksum_algorithm).Bind(10, o.checksum_value).Bind(11, o.checksum_type);
  stmt.BindBlob(12, EncodePairs(o.tags)).Bind(13, o.storage_class);
  stmt.Bind(14, int64_t{o.parts_count}).Bind(15, static_cast<int64_t>(o.blob.kind));
  stmt.Bind(16, o.blob.id).BindBlob(17, EncodeParts(o.blob.parts));
  stmt.Bind(18, inline_id).Bind(19, o.version_id).Bind(20, sequence);
  stmt.Bind(21, int64_t{o.is_delete_marker}).Bind(22, static_cast<int64_t>(o.retention_mode));
  stmt.Bind(23, ToNanos(o.retain_until)).Bind(24, int64_t{o.legal_hold}).BindBlob(25, o.acl);
  stmt.BindBlob(26, o.encryption);
}

Result<BucketRecord> ReadBucketRow(const Statement& row) {
  BucketRecord b;
  b.name = row.Text(0);
  b.region = row.Text(1);
  b.owner_id = row.Text(2);
  b.created = FromNanos(row.Int(3));
  b.policy_json = row.Text(4);
  auto tags = DecodePairs(row.Blob(5));
  if (!tags) return Corrupt(b.name);
  b.tags = std::move(*tags);
  b.cors_xml = row.Text(6);
  KURA_TRY(ReadProtectionColumns(row, 7, b));
  b.lifecycle_xml = row.Text(12);
  int64_t ownership = row.Int(13);
  if (ownership < 0 || ownership > 3) return Corrupt(b.name);
  b.object_ownership = static_cast<ObjectOwnership>(ownership);
  b.acl = row.Blob(14);
  b.public_access_block = DecodePublicAccessBlock(row.Int(15));
  b.encryption = row.Blob(16);
  b.owner_account = row.Text(17);
  return b;
}

Result<void> ReadProtectionColumns(const Statement& row, int first, BucketRecord& b) {
  int64_t versioning = row.Int(first);
  int64_t mode = row.Int(first + 2);
  if (versioning < 0 || versioning > 2 || mode < 0 || mode > 2) return Corrupt(b.name);
  b.versioning = static_cast<VersioningState>(versioning);
  b.object_lock_enabled = row.Int(first + 1) != 0;
  b.default_retention.mode = static_cast<RetentionMode>(mode);
  b.default_retention.days = static_cast<int>(row.Int(first + 3));
  b.default_retention.years = static_cast<int>(row.Int(first + 4));
  return Ok();
}

Result<BucketRecord> ReadBucketProtection(const Statement& row) {
  BucketRecord b;
  KURA_TRY(ReadProtectionColumns(row, 0, b));
  return b;
}

void BindBucketRow(Statement& stmt, const BucketRecord& b) {
  stmt.Bind(1, b.name).Bind(2, b.region).Bind(3, b.owner_id).Bind(4, ToNanos(b.created));
  stmt.Bind(5, b.policy_json).BindBlob(6, EncodePairs(b.tags)).Bind(7, b.cors_xml);
  stmt.Bind(8, static_cast<int64_t>(b.versioning)).Bind(9, int64_t{b.object_lock_enabled});
  stmt.Bind(10, static_cast<int64_t>(b.default_retention.mode));
  stmt.Bind(11, int64_t{b.default_retention.days}).Bind(12, int64_t{b.default_retention.years});
  stmt.Bind(13, b.lifecycle_xml).Bind(14, static_cast<int64_t>(b.object_ownership));
  stmt.BindBlob(15, b.acl).Bind(16, EncodePublicAccessBlock(b.public_access_block));
  stmt.BindBlob(17, b.encryption).Bind(18, b.owner_account);
}

int64_t InlineCrc(std::string_view body) { return Crc32c(0, body); }

Result<void> ReadInlineBody(const Statement& row, int column, std::string_view bucket,
                            std::string_view key, BlobRef& blob) {
  blob.inline_data = row.Blob(column);
  int64_t stored = row.Int(column + 1);
  if (stored < 0) {
    if (!blob.inline_data.empty()) CountUnverifiedRead();
    return Ok();
  }
  if (stored == InlineCrc(blob.inline_data)) return Ok();
  blob.inline_data.clear();
  return CorruptRead("inline(bucket=" + std::string(bucket) + " key=" + std::string(key) + ")",
                     "the inline body fails its CRC32C");
}

}  // namespace kura::store::sqlite
