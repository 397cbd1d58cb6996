#include "migrate/verification.h"

#include <optional>

#include "store/sqlite/row_codec.h"
#include "store/sqlite/sql_queries.h"

namespace kura::migrate {
namespace {

namespace sqlite = store::sqlite;
using store::BlobRef;
using store::ObjectRecord;

// A bucket's versions, current (latest = 1) and noncurrent, as ListObjectVersions orders them:
// by key, then newest first. Columns: KURA_OBJECT_COLUMNS, the inline body, its CRC32C, latest.
constexpr const char kSourceVersions[] =
    "SELECT " KURA_OBJECT_COLUMNS
    ", inline_blobs.data, coalesce(inline_blobs.crc32c, -1), 1 AS latest FROM objects "
    "LEFT JOIN inline_blobs ON inline_blobs.id = objects.inline_id WHERE objects.bucket = ?1 "
    "UNION ALL SELECT " KURA_OBJECT_COLUMNS
    ", inline_blobs.data, coalesce(inline_blobs.crc32c, -1), 0 AS latest FROM object_versions "
    "LEFT JOIN inline_blobs ON inline_blobs.id = object_versions.inline_id "
    "WHERE object_versions.bucket = ?1 ORDER BY key, seq DESC";
constexpr int kLatestColumn = sqlite::kObjectExtraColumn + 2;

class Mismatches {
 public:
  explicit Mismatches(std::vector<std::string>& out) : out_(out) {}
  void Add(std::string what) {
    if (out_.size() < kMaxMismatches) {
      out_.push_back(std::move(what));
    } else if (out_.size() == kMaxMismatches) {
      out_.push_back("… more differences not listed");
    }
  }

 private:
  std::vector<std::string>& out_;
};

// What a listing compares: everything but where the bytes are.
ObjectRecord Listed(ObjectRecord record) {
  record.blob.id.clear();
  record.blob.inline_data.clear();
  for (auto& part : record.blob.parts) part.id.clear();
  return record;
}

// The first field in which two versions differ, for the message.
std::string FirstDifference(const ObjectRecord& a, const ObjectRecord& b) {
  if (a.key != b.key) return "key";
  if (a.version_id != b.version_id) return "version id";
  if (a.is_delete_marker != b.is_delete_marker) return "delete marker";
  if (a.is_latest != b.is_latest) return "latest";
  if (a.size != b.size || a.blob != b.blob) return "size or layout";
  if (a.etag != b.etag) return "ETag";
  if (a.last_modified != b.last_modified) return "last modified";
  if (a.user_metadata != b.user_metadata) return "user metadata";
  if (a.headers != b.headers || a.content_type != b.content_type) return "content headers";
  if (a.checksum_algorithm != b.checksum_algorithm || a.checksum_value != b.checksum_value ||
      a.checksum_type != b.checksum_type)
    return "checksum";
  if (a.tags != b.tags) return "tags";
  if (a.retention_mode != b.retention_mode || a.retain_until != b.retain_until ||
      a.legal_hold != b.legal_hold)
    return "Object Lock";
  if (a.acl != b.acl) return "ACL";
  if (a.encryption != b.encryption) return "encryption";
  return "storage class or parts count";
}

std::string Where(const ObjectRecord& v) {
  return "s3://" + v.bucket + "/" + v.key + " version " + v.version_id;
}

// The target's version listing, one version at a time.
class TargetVersions {
 public:
  TargetVersions(store::MetadataStore& target, std::string bucket)
      : target_(target), bucket_(std::move(bucket)) {}

  // nullopt at the end; an error stops the walk.
  Result<std::optional<ObjectRecord>> Next() {
    if (next_ == page_.versions.size()) {
      if (started_ && !page_.is_truncated) return std::optional<ObjectRecord>();
      store::VersionListQuery query;
      query.bucket = bucket_;
      query.max_keys = 1000;
      if (started_) {
        query.key_marker = page_.next_key_marker;
        query.version_id_marker = page_.next_version_id_marker;
      }
      auto page = target_.ListObjectVersions(query);
      if (!page) return page.error();
      page_ = std::move(*page);
      next_ = 0;
      started_ = true;
      if (page_.versions.empty()) return std::optional<ObjectRecord>();
    }
    return std::optional<ObjectRecord>(std::move(page_.versions[next_++]));
  }

 private:
  store::MetadataStore& target_;
  std::string bucket_;
  store::VersionListPage page_;
  size_t next_ = 0;
  bool started_ = false;
};

void CompareInlineBody(store::MetadataStore& target, const ObjectRecord& source,
                       Mismatches& mismatches) {
  auto stored = target.GetObject(source.bucket, source.key, source.version_id);
  if (!stored) {
    mismatches.Add(Where(source) + ": cannot be read back: " + stored.error().message);
  } else if (stored->blob.inline_data != source.blob.inline_data) {
    mismatches.Add(Where(source) + ": the body differs");
  }
}

Result<void> CompareVersions(sqlite::Db& source, store::MetadataStore& target,
                             const std::string& bucket, Mismatches& mismatches) {
  auto scan = source.Prepare(kSourceVersions);
  if (!scan) return scan.error();
  (*scan)->Bind(1, bucket);
  TargetVersions listed(target, bucket);
  while (true) {
    auto row = (*scan)->Step();
    if (!row) return row.error();
    auto other = listed.Next();
    if (!other) return other.error();
    if (!*row) {
      if (*other) mismatches.Add(Where(**other) + ": in the target only");
      return Ok();
    }
    auto version = sqlite::ReadObjectRow(**scan, bucket);
    if (!version) return version.error();
    version->is_latest = (*scan)->Int(kLatestColumn) != 0;
    KURA_TRY(sqlite::ReadInlineBody(**scan, sqlite::kObjectExtraColumn, bucket, version->key,
                                    version->blob));
    if (!*other) {
      mismatches.Add(Where(*version) + ": missing from the target");
      return Ok();
    }
    ObjectRecord expected = Listed(*version);
    ObjectRecord got = Listed(std::move(**other));
    if (expected != got) {
      mismatches.Add(Where(*version) + ": " + FirstDifference(expected, got) + " differs" +
                     (expected.key != got.key || expected.version_id != got.version_id
                          ? " (the target lists " + Where(got) + ")"
                          : ""));
      if (expected.key != got.key || expected.version_id != got.version_id) return Ok();
      continue;
    }
    if (!version->blob.inline_data.empty()) CompareInlineBody(target, *version, mismatches);
  }
}

Result<void> CompareBuckets(sqlite::Db& source, store::MetadataStore& target,
                            Mismatches& mismatches) {
  auto scan = source.Prepare("SELECT " KURA_BUCKET_COLUMNS " FROM buckets ORDER BY name");
  if (!scan) return scan.error();
  std::vector<std::string> names;
  while (true) {
    auto row = (*scan)->Step();
    if (!row) return row.error();
    if (!*row) break;
    auto bucket = sqlite::ReadBucketRow(**scan);
    if (!bucket) return bucket.error();
    auto stored = target.GetBucket(bucket->name);
    if (!stored) {
      mismatches.Add("bucket " + bucket->name + ": " + stored.error().message);
    } else if (*stored != *bucket) {
      mismatches.Add("bucket " + bucket->name + ": its configuration differs");
    }
    names.push_back(bucket->name);
  }
  auto listed = target.ListBuckets();
  if (!listed) return listed.error();
  if (listed->size() != names.size()) {
    mismatches.Add("the target has " + std::to_string(listed->size()) + " buckets, the source " +
                   std::to_string(names.size()));
  }
  for (const std::string& name : names) KURA_TRY(CompareVersions(source, target, name, mismatches));
  return Ok();
}

Result<void> CompareParts(sqlite::Db& source, store::MetadataStore& target,
                          const std::string& upload_id, Mismatches& mismatches) {
  auto scan = source.Prepare(
      "SELECT part_number, size, etag, last_modified_ns, checksum_value FROM parts "
      "WHERE upload_id = ?1 ORDER BY part_number");
  if (!scan) return scan.error();
  (*scan)->Bind(1, upload_id);
  auto stored = target.ListParts(upload_id, 0, 100000);
  if (!stored) {
    mismatches.Add("upload " + upload_id +
                   ": its parts cannot be listed: " + stored.error().message);
    return Ok();
  }
  size_t next = 0;
  while (true) {
    auto row = (*scan)->Step();
    if (!row) return row.error();
    if (!*row) break;
    const sqlite::Statement& p = **scan;
    std::string where = "upload " + upload_id + " part " + std::to_string(p.Int(0));
    if (next == stored->size()) {
      mismatches.Add(where + ": missing from the target");
      return Ok();
    }
    const store::PartRecord& part = (*stored)[next++];
    if (part.part_number != p.Int(0) || part.size != static_cast<uint64_t>(p.Int(1)) ||
        part.etag != p.Blob(2) || part.last_modified != sqlite::FromNanos(p.Int(3)) ||
        part.checksum_value != p.Blob(4)) {
      mismatches.Add(where + ": differs");
    }
  }
  if (next != stored->size()) mismatches.Add("upload " + upload_id + ": more parts in the target");
  return Ok();
}

Result<void> CompareUploads(sqlite::Db& source, store::MetadataStore& target,
                            Mismatches& mismatches) {
  auto scan = source.Prepare("SELECT upload_id, bucket, key, initiated_ns, object FROM uploads");
  if (!scan) return scan.error();
  while (true) {
    auto row = (*scan)->Step();
    if (!row) return row.error();
    if (!*row) return Ok();
    std::string upload_id((*scan)->Blob(0));
    std::string where = "upload " + upload_id;
    auto stored = target.GetUpload((*scan)->Blob(1), (*scan)->Blob(2), upload_id);
    auto object = sqlite::DecodeObjectTemplate((*scan)->Blob(4));
    if (!stored || !object) {
      mismatches.Add(where + ": missing from the target");
      continue;
    }
    if (stored->initiated != sqlite::FromNanos((*scan)->Int(3)) || stored->object != *object) {
      mismatches.Add(where + ": differs");
    }
    KURA_TRY(CompareParts(source, target, upload_id, mismatches));
  }
}

Result<void> CompareDocuments(sqlite::Db& source, store::MetadataStore& target,
                              Mismatches& mismatches) {
  auto scan = source.Prepare("SELECT kind, id, value FROM documents ORDER BY kind, id");
  if (!scan) return scan.error();
  while (true) {
    auto row = (*scan)->Step();
    if (!row) return row.error();
    if (!*row) return Ok();
    std::string kind((*scan)->Blob(0));
    std::string id((*scan)->Blob(1));
    auto stored = target.GetDocument(kind, id);
    if (!stored || !*stored || **stored != (*scan)->Blob(2)) {
      mismatches.Add("document " + kind + "/" + id + ": missing from the target or different");
    }
  }
}

}  // namespace

void VerifyMetadata(sqlite::Db& source, store::MetadataStore& target,
                    std::vector<std::string>& mismatches) {
  Mismatches found(mismatches);
  for (auto* compare : {&CompareBuckets, &CompareUploads, &CompareDocuments}) {
    if (auto compared = compare(source, target, found); !compared) {
      found.Add("the comparison failed: " + compared.error().message);
    }
  }
}

}  // namespace kura::migrate
