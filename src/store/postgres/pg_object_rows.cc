#include "store/postgres/pg_object_rows.h"

#include "store/postgres/pg_row_codec.h"
#include "store/postgres/pg_sql.h"

namespace kura::store::postgres {
namespace {

using sqlite::kObjectExtraColumn;
using sqlite::kObjectSequenceColumn;

Result<void> DeleteInline(PgConnection& conn, int64_t id) {
  KURA_TRY(conn.Exec(sql::kDeleteInline, PgParams().Int(id)));
  return Ok();
}

// Stores the body of `object` and returns its inline id (0 when it has none), reusing the row
// of `old_id` when there is one and dropping it when the new object has no inline body.
Result<int64_t> StoreInline(PgConnection& conn, const ObjectRecord& object, int64_t old_id) {
  const BlobRef& blob = object.blob;
  bool has_body = blob.kind == BlobRef::Kind::kInline && !blob.inline_data.empty();
  if (!has_body) {
    if (old_id != 0) KURA_TRY(DeleteInline(conn, old_id));
    return int64_t{0};
  }
  int64_t crc = InlineCrc(blob.inline_data);
  if (old_id != 0) {
    KURA_TRY(conn.Exec(sql::kUpdateInline,
                       PgParams().Int(old_id).Bytes(blob.inline_data).Int(crc)));
    return old_id;
  }
  auto inserted = conn.Exec(sql::kInsertInline, PgParams().Bytes(blob.inline_data).Int(crc));
  if (!inserted) return inserted.error();
  return inserted->row(0).Int(0);
}

// Runs `query` with (bucket, key[, version id]) and reads one version row, if any.
Result<std::optional<StoredVersion>> FindRow(PgConnection& conn, const std::string& query,
                                             std::string_view bucket, std::string_view key,
                                             std::optional<std::string_view> version_id,
                                             bool latest) {
  PgParams params;
  params.Bytes(bucket).Bytes(key);
  if (version_id) params.Bytes(*version_id);
  auto result = conn.Exec(query, params);
  if (!result) return result.error();
  if (result->rows() == 0) return std::optional<StoredVersion>();
  PgRow row = result->row(0);
  auto object = ReadObjectRow(row, bucket);
  if (!object) return object.error();
  object->is_latest = latest;
  return std::optional<StoredVersion>(StoredVersion{
      std::move(object).value(), row.Int(kObjectSequenceColumn), row.Int(kObjectExtraColumn)});
}

Result<void> RunOnKey(PgConnection& conn, const std::string& query, std::string_view bucket,
                      std::string_view key, std::optional<int64_t> sequence = std::nullopt) {
  PgParams params;
  params.Bytes(bucket).Bytes(key);
  if (sequence) params.Int(*sequence);
  KURA_TRY(conn.Exec(query, params));
  return Ok();
}

Result<void> WriteRow(PgConnection& conn, const std::string& query, const ObjectRecord& object,
                      int64_t inline_id, int64_t sequence) {
  PgParams params;
  BindObjectRow(params, object, inline_id, sequence);
  KURA_TRY(conn.Exec(query, params));
  return Ok();
}

}  // namespace

Result<std::optional<BucketRecord>> PgVersionRows::FindBucket(std::string_view name) {
  auto result = conn_.Exec(sql::kGetBucketProtection, PgParams().Bytes(name));
  if (!result) return result.error();
  if (result->rows() == 0) return std::optional<BucketRecord>();
  auto bucket = ReadBucketProtection(result->row(0));
  if (!bucket) return bucket.error();
  bucket->name = std::string(name);
  return std::optional<BucketRecord>(std::move(bucket).value());
}

Result<std::optional<StoredVersion>> PgVersionRows::FindCurrent(std::string_view bucket,
                                                                std::string_view key) {
  return FindRow(conn_, sql::kGetObjectMeta, bucket, key, std::nullopt, true);
}

Result<std::optional<StoredVersion>> PgVersionRows::FindNoncurrent(std::string_view bucket,
                                                                   std::string_view key,
                                                                   std::string_view version_id) {
  return FindRow(conn_, sql::kGetVersionMeta, bucket, key, version_id, false);
}

Result<void> PgVersionRows::WriteCurrent(const ObjectRecord& object, int64_t sequence,
                                         const StoredVersion* replaced) {
  auto inline_id = StoreInline(conn_, object, replaced ? replaced->handle : 0);
  if (!inline_id) return inline_id.error();
  return WriteRow(conn_, sql::kUpsertObject, object, *inline_id, sequence);
}

Result<void> PgVersionRows::Demote(const StoredVersion& current) {
  const ObjectRecord& record = current.record;
  KURA_TRY(RunOnKey(conn_, sql::kDemoteObject, record.bucket, record.key));
  return RunOnKey(conn_, sql::kDeleteObject, record.bucket, record.key);
}

Result<void> PgVersionRows::Remove(const StoredVersion& version) {
  const ObjectRecord& record = version.record;
  if (record.is_latest) {
    KURA_TRY(RunOnKey(conn_, sql::kDeleteObject, record.bucket, record.key));
  } else {
    KURA_TRY(RunOnKey(conn_, sql::kDeleteVersion, record.bucket, record.key, version.sequence));
  }
  return version.handle != 0 ? DeleteInline(conn_, version.handle) : Ok();
}

Result<void> PgVersionRows::PromoteNewest(std::string_view bucket, std::string_view key) {
  auto newest = conn_.Exec(sql::kNewestVersionSeq, PgParams().Bytes(bucket).Bytes(key));
  if (!newest) return newest.error();
  if (newest->rows() == 0) return Ok();
  int64_t sequence = newest->row(0).Int(0);
  KURA_TRY(RunOnKey(conn_, sql::kPromoteVersion, bucket, key, sequence));
  return RunOnKey(conn_, sql::kDeleteVersion, bucket, key, sequence);
}

Result<void> PgVersionRows::RewriteMeta(const StoredVersion& version,
                                        const ObjectRecord& object) {
  const std::string& query =
      version.record.is_latest ? sql::kUpsertObject : sql::kUpsertVersion;
  return WriteRow(conn_, query, object, version.handle, version.sequence);
}

Result<int64_t> PgVersionRows::NextSequence() {
  auto result = conn_.Exec(sql::kNextSequence);
  if (!result) return result.error();
  return result->row(0).Int(0);
}

}  // namespace kura::store::postgres
