#include "store/postgres/pg_row_codec.h"

#include "store/read_integrity.h"
#include "store/sqlite/row_codec.h"
#include "store/upload_completion.h"

namespace kura::store::postgres {
namespace {

using sqlite::DecodeObjectTemplate;
using sqlite::DecodePairs;
using sqlite::DecodeParts;
using sqlite::DecodePublicAccessBlock;
using sqlite::EncodePairs;
using sqlite::EncodeParts;
using sqlite::EncodePublicAccessBlock;
using sqlite::FromNanos;
using sqlite::ToNanos;

Error Corrupt(std::string_view what) {
  return MakeError(ErrorCode::kInternalError, "corrupt metadata: " + std::string(what));
}

std::string Str(const PgRow& row, int column) { return std::string(row.Bytes(column)); }

Result<void> ReadProtectionColumns(const PgRow& row, int first, BucketRecord& b) {
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

}  // namespace

Result<ObjectRecord> ReadObjectRow(const PgRow& row, std::string_view bucket) {
  ObjectRecord o;
  o.bucket = bucket;
  o.key = Str(row, 0);
  o.size = static_cast<uint64_t>(row.Int(1));
  o.etag = Str(row, 2);
  o.last_modified = FromNanos(row.Int(3));
  o.content_type = Str(row, 4);
  auto headers = DecodePairs(row.Bytes(5));
  auto metadata = DecodePairs(row.Bytes(6));
  o.checksum_algorithm = Str(row, 7);
  o.checksum_value = Str(row, 8);
  o.checksum_type = Str(row, 9);
  auto tags = DecodePairs(row.Bytes(10));
  o.storage_class = Str(row, 11);
  o.parts_count = static_cast<int>(row.Int(12));
  int64_t kind = row.Int(13);
  o.blob.id = Str(row, 14);
  auto parts = DecodeParts(row.Bytes(15));
  o.version_id = Str(row, 16);
  o.is_delete_marker = row.Int(18) != 0;
  int64_t mode = row.Int(19);
  o.retain_until = FromNanos(row.Int(20));
  o.legal_hold = row.Int(21) != 0;
  o.acl = Str(row, 22);
  o.encryption = Str(row, 23);
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

void BindObjectRow(PgParams& p, const ObjectRecord& o, int64_t inline_id, int64_t sequence) {
  p.Bytes(o.bucket).Bytes(o.key).Int(static_cast<int64_t>(o.size)).Bytes(o.etag);
  p.Int(ToNanos(o.last_modified)).Bytes(o.content_type);
  p.Bytes(EncodePairs(o.headers)).Bytes(EncodePairs(o.user_metadata));
  p.Bytes(o.checksum_algorithm).Bytes(o.checksum_value).Bytes(o.checksum_type);
  p.Bytes(EncodePairs(o.tags)).Bytes(o.storage_class);
  p.Int(o.parts_count).Int(static_cast<int64_t>(o.blob.kind));
  p.Bytes(o.blob.id).Bytes(EncodeParts(o.blob.parts));
  p.Int(inline_id).Bytes(o.version_id).Int(sequence);
  p.Int(o.is_delete_marker ? 1 : 0).Int(static_cast<int64_t>(o.retention_mode));
  p.Int(ToNanos(o.retain_until)).Int(o.legal_hold ? 1 : 0).Bytes(o.acl);
  p.Bytes(o.encryption);
}

int64_t InlineCrc(std::string_view body) { return sqlite::InlineCrc(body); }

Result<void> ReadInlineBody(const PgRow& row, int column, std::string_view bucket,
                            std::string_view key, BlobRef& blob) {
  blob.inline_data = row.Bytes(column);
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

Result<BucketRecord> ReadBucketRow(const PgRow& row) {
  BucketRecord b;
  b.name = Str(row, 0);
  b.region = Str(row, 1);
  b.owner_id = Str(row, 2);
  b.created = FromNanos(row.Int(3));
  b.policy_json = Str(row, 4);
  auto tags = DecodePairs(row.Bytes(5));
  if (!tags) return Corrupt(b.name);
  b.tags = std::move(*tags);
  b.cors_xml = Str(row, 6);
  KURA_TRY(ReadProtectionColumns(row, 7, b));
  b.lifecycle_xml = Str(row, 12);
  int64_t ownership = row.Int(13);
  if (ownership < 0 || ownership > 3) return Corrupt(b.name);
  b.object_ownership = static_cast<ObjectOwnership>(ownership);
  b.acl = Str(row, 14);
  b.public_access_block = DecodePublicAccessBlock(row.Int(15));
  b.encryption = Str(row, 16);
  b.owner_account = Str(row, 17);
  return b;
}

Result<BucketRecord> ReadBucketProtection(const PgRow& row) {
  BucketRecord b;
  KURA_TRY(ReadProtectionColumns(row, 0, b));
  return b;
}

void BindBucketRow(PgParams& p, const BucketRecord& b) {
  p.Bytes(b.name).Bytes(b.region).Bytes(b.owner_id).Int(ToNanos(b.created));
  p.Bytes(b.policy_json).Bytes(EncodePairs(b.tags)).Bytes(b.cors_xml);
  p.Int(static_cast<int64_t>(b.versioning)).Int(b.object_lock_enabled ? 1 : 0);
  p.Int(static_cast<int64_t>(b.default_retention.mode));
  p.Int(b.default_retention.days).Int(b.default_retention.years);
  p.Bytes(b.lifecycle_xml).Int(static_cast<int64_t>(b.object_ownership));
  p.Bytes(b.acl).Int(EncodePublicAccessBlock(b.public_access_block));
  p.Bytes(b.encryption).Bytes(b.owner_account);
}

Result<UploadRecord> ReadUploadRow(const PgRow& row) {
  auto object = DecodeObjectTemplate(row.Bytes(4));
  if (!object) return MakeError(ErrorCode::kInternalError, "corrupt upload record");
  UploadRecord upload;
  upload.upload_id = Str(row, 0);
  upload.object = std::move(*object);
  upload.object.bucket = Str(row, 1);
  upload.object.key = Str(row, 2);
  upload.initiated = FromNanos(row.Int(3));
  return upload;
}

PartRecord ReadPartRow(const PgRow& row) {
  PartRecord part;
  part.part_number = static_cast<int>(row.Int(0));
  part.size = static_cast<uint64_t>(row.Int(1));
  part.etag = Str(row, 2);
  part.last_modified = FromNanos(row.Int(3));
  part.checksum_value = Str(row, 4);
  part.blob = PartBlob(Str(row, 5), part.size);
  return part;
}

}  // namespace kura::store::postgres
