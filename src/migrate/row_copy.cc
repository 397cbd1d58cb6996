#include "migrate/row_copy.h"

#include <algorithm>
#include <string>

#include "store/postgres/pg_row_codec.h"
#include "store/postgres/pg_sql.h"
#include "store/sqlite/row_codec.h"

namespace kura::migrate {
namespace {

namespace pg = store::postgres;
namespace sqlite = store::sqlite;
using store::BlobRef;
using store::ObjectRecord;

// The two tables of versions: `objects` holds each key's current one, `object_versions` the
// others (store/sqlite/migrations.cc, schema 4). Columns: KURA_OBJECT_COLUMNS, the inline body
// and its CRC32C (kObjectExtraColumn, +1), then the bucket.
constexpr int kBucketColumn = sqlite::kObjectExtraColumn + 2;
#define KURA_VERSION_SCAN(table)                                                                 \
  "SELECT " KURA_OBJECT_COLUMNS ", inline_blobs.data, coalesce(inline_blobs.crc32c, -1), " table \
  ".bucket FROM " table " LEFT JOIN inline_blobs ON inline_blobs.id = " table                    \
  ".inline_id ORDER BY " table ".bucket, " table ".key, " table ".seq"
constexpr const char kScanObjects[] = KURA_VERSION_SCAN("objects");
constexpr const char kScanVersions[] = KURA_VERSION_SCAN("object_versions");
#undef KURA_VERSION_SCAN

Result<int> CopyBuckets(sqlite::Db& source, pg::PgConnection& target) {
  auto scan = source.Prepare("SELECT " KURA_BUCKET_COLUMNS " FROM buckets ORDER BY name");
  if (!scan) return scan.error();
  int copied = 0;
  while (true) {
    auto row = (*scan)->Step();
    if (!row) return row.error();
    if (!*row) return copied;
    auto bucket = sqlite::ReadBucketRow(**scan);
    if (!bucket) return bucket.error();
    pg::PgParams params;
    pg::BindBucketRow(params, *bucket);
    KURA_TRY(target.Exec(pg::sql::kInsertBucket, params));
    ++copied;
  }
}

// The blob of a version, pointed at the copies of its files.
Result<void> CopyBlob(BlobRef& blob, BlobCopier& blobs) {
  if (blob.kind == BlobRef::Kind::kFile) {
    auto id = blobs.Copy(blob.id, blob.size);
    if (!id) return id.error();
    blob.id = std::move(*id);
  }
  for (BlobRef::Part& part : blob.parts) {
    auto id = blobs.Copy(part.id, part.size);
    if (!id) return id.error();
    part.id = std::move(*id);
  }
  return Ok();
}

Result<void> CopyVersionRow(const sqlite::Statement& row, bool current, pg::PgConnection& target,
                            BlobCopier& blobs, RowCounts& counts) {
  std::string bucket(row.Blob(kBucketColumn));
  auto version = sqlite::ReadObjectRow(row, bucket);
  if (!version) return version.error();
  ObjectRecord& record = *version;
  int64_t seq = row.Int(sqlite::kObjectSequenceColumn);
  KURA_TRY(
      sqlite::ReadInlineBody(row, sqlite::kObjectExtraColumn, bucket, record.key, record.blob));
  if (auto copied = CopyBlob(record.blob, blobs); !copied) {
    return MakeError(copied.error().code, "s3://" + bucket + "/" + record.key + " version " +
                                              record.version_id + ": " + copied.error().message);
  }
  int64_t inline_id = 0;
  if (record.blob.kind == BlobRef::Kind::kInline && !record.blob.inline_data.empty()) {
    const std::string& body = record.blob.inline_data;
    auto inserted =
        target.Exec(pg::sql::kInsertInline, pg::PgParams().Bytes(body).Int(pg::InlineCrc(body)));
    if (!inserted) return inserted.error();
    inline_id = inserted->row(0).Int(0);
    counts.inline_bytes += body.size();
  }
  pg::PgParams params;
  pg::BindObjectRow(params, record, inline_id, seq);
  KURA_TRY(target.Exec(current ? pg::sql::kUpsertObject : pg::sql::kUpsertVersion, params));
  ++counts.versions;
  if (record.is_delete_marker) ++counts.delete_markers;
  return Ok();
}

Result<void> CopyVersions(sqlite::Db& source, const char* scan_sql, bool current,
                          pg::PgConnection& target, BlobCopier& blobs, RowCounts& counts) {
  auto scan = source.Prepare(scan_sql);
  if (!scan) return scan.error();
  while (true) {
    auto row = (*scan)->Step();
    if (!row) return row.error();
    if (!*row) return Ok();
    KURA_TRY(CopyVersionRow(**scan, current, target, blobs, counts));
  }
}

// Uploads in progress: the row as it is (its object template is the same encoding in both
// stores), and each part with its blob copied.
Result<void> CopyUploads(sqlite::Db& source, pg::PgConnection& target, BlobCopier& blobs,
                         RowCounts& counts) {
  auto uploads = source.Prepare(
      "SELECT upload_id, bucket, key, initiated_ns, object FROM uploads ORDER BY upload_id");
  if (!uploads) return uploads.error();
  while (true) {
    auto row = (*uploads)->Step();
    if (!row) return row.error();
    if (!*row) break;
    const sqlite::Statement& u = **uploads;
    KURA_TRY(target.Exec(
        pg::sql::kInsertUpload,
        pg::PgParams().Bytes(u.Blob(0)).Bytes(u.Blob(1)).Bytes(u.Blob(2)).Int(u.Int(3)).Bytes(
            u.Blob(4))));
    ++counts.uploads;
  }
  auto parts = source.Prepare(
      "SELECT upload_id, part_number, size, etag, last_modified_ns, checksum_value, blob_id "
      "FROM parts ORDER BY upload_id, part_number");
  if (!parts) return parts.error();
  while (true) {
    auto row = (*parts)->Step();
    if (!row) return row.error();
    if (!*row) return Ok();
    const sqlite::Statement& p = **parts;
    std::string upload_id(p.Blob(0));
    auto blob_id = blobs.Copy(std::string(p.Blob(6)), static_cast<uint64_t>(p.Int(2)));
    if (!blob_id) {
      return MakeError(blob_id.error().code, "upload " + upload_id + " part " +
                                                 std::to_string(p.Int(1)) + ": " +
                                                 blob_id.error().message);
    }
    KURA_TRY(target.Exec(pg::sql::kUpsertPart, pg::PgParams()
                                                   .Bytes(upload_id)
                                                   .Int(p.Int(1))
                                                   .Int(p.Int(2))
                                                   .Bytes(p.Blob(3))
                                                   .Int(p.Int(4))
                                                   .Bytes(p.Blob(5))
                                                   .Bytes(*blob_id)));
    ++counts.parts;
  }
}

Result<uint64_t> CopyDocuments(sqlite::Db& source, pg::PgConnection& target) {
  auto scan = source.Prepare("SELECT kind, id, value FROM documents ORDER BY kind, id");
  if (!scan) return scan.error();
  uint64_t copied = 0;
  while (true) {
    auto row = (*scan)->Step();
    if (!row) return row.error();
    if (!*row) return copied;
    const sqlite::Statement& d = **scan;
    KURA_TRY(target.Exec(pg::sql::kPutDocument,
                         pg::PgParams().Bytes(d.Blob(0)).Bytes(d.Blob(1)).Bytes(d.Blob(2))));
    ++copied;
  }
}

// The access keys' last uses (GetAccessKeyLastUsed), as they are: not configuration, not counted.
Result<void> CopyKeyUses(sqlite::Db& source, pg::PgConnection& target) {
  auto scan =
      source.Prepare("SELECT access_key_id, used_at_ms, service, region FROM key_last_used");
  if (!scan) return scan.error();
  const std::string insert = pg::sql::RecordKeyUses(1);
  while (true) {
    auto row = (*scan)->Step();
    if (!row) return row.error();
    if (!*row) return Ok();
    const sqlite::Statement& u = **scan;
    KURA_TRY(target.Exec(insert, pg::PgParams().Bytes(u.Text(0)).Int(u.Int(1)).Bytes(u.Text(2))
                                     .Bytes(u.Text(3))));
  }
}

// The version sequence goes on from the source's, so that a version written after the
// migration sorts after every copied one (versions of a key are ordered by seq).
Result<void> CarryVersionSequence(sqlite::Db& source, pg::PgConnection& target) {
  auto scan = source.Prepare(
      "SELECT max((SELECT coalesce(max(value), 0) FROM sequences WHERE name = 'version'), "
      "(SELECT coalesce(max(seq), 0) FROM objects), "
      "(SELECT coalesce(max(seq), 0) FROM object_versions))");
  if (!scan) return scan.error();
  auto row = (*scan)->Step();
  if (!row) return row.error();
  int64_t last = *row ? (*scan)->Int(0) : 0;
  if (last <= 0) return Ok();
  KURA_TRY(target.Exec("SELECT setval('version_seq', $1)", pg::PgParams().Int(last)));
  return Ok();
}

}  // namespace

Result<RowCounts> CopyRows(sqlite::Db& source, pg::PgConnection& target, BlobCopier& blobs) {
  RowCounts counts;
  auto buckets = CopyBuckets(source, target);
  if (!buckets) return buckets.error();
  counts.buckets = *buckets;
  KURA_TRY(CopyVersions(source, kScanObjects, true, target, blobs, counts));
  KURA_TRY(CopyVersions(source, kScanVersions, false, target, blobs, counts));
  KURA_TRY(CopyUploads(source, target, blobs, counts));
  auto documents = CopyDocuments(source, target);
  if (!documents) return documents.error();
  counts.documents = *documents;
  KURA_TRY(CopyKeyUses(source, target));
  KURA_TRY(CarryVersionSequence(source, target));
  // Nodes already following this schema (none should be) reload what they hold.
  KURA_TRY(target.Exec(pg::sql::kBumpConfigGeneration));
  return counts;
}

}  // namespace kura::migrate
