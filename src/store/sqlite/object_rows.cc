#include "store/sqlite/object_rows.h"

#include "store/sqlite/row_codec.h"
#include "store/sqlite/sql_queries.h"

namespace kura::store::sqlite {
namespace {

Result<void> DeleteInline(Db& db, int64_t id) {
  auto stmt = db.Prepare(sql::kDeleteInline);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, id);
  return (*stmt)->Run();
}

// Stores the body of `object` and returns its inline id (0 when it has none), reusing the row
// of `old_id` when there is one and dropping it when the new object has no inline body.
Result<int64_t> StoreInline(Db& db, const ObjectRecord& object, int64_t old_id) {
  const BlobRef& blob = object.blob;
  bool has_body = blob.kind == BlobRef::Kind::kInline && !blob.inline_data.empty();
  if (!has_body) {
    if (old_id != 0) KURA_TRY(DeleteInline(db, old_id));
    return int64_t{0};
  }
  if (old_id != 0) {
    auto update = db.Prepare(sql::kUpdateInline);
    if (!update) return update.error();
    (*update)->Bind(1, old_id).BindBlob(2, blob.inline_data).Bind(3, InlineCrc(blob.inline_data));
    KURA_TRY((*update)->Run());
    return old_id;
  }
  auto insert = db.Prepare(sql::kInsertInline);
  if (!insert) return insert.error();
  (*insert)->BindBlob(1, blob.inline_data).Bind(2, InlineCrc(blob.inline_data));
  KURA_TRY((*insert)->Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db.raw()));
}

// Runs `query` with (bucket, key[, third]) bound and reads one version row, if any.
Result<std::optional<StoredVersion>> FindRow(Db& db, const char* query, std::string_view bucket,
                                             std::string_view key,
                                             std::optional<std::string_view> third, bool latest) {
  auto stmt = db.Prepare(query);
  if (!stmt) return stmt.error();
  (*stmt)->BindView(1, bucket).BindView(2, key);  // the lease ends before the views do
  if (third) (*stmt)->BindView(3, *third);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<StoredVersion>();
  auto object = ReadObjectRow(**stmt, bucket);
  if (!object) return object.error();
  object->is_latest = latest;
  return std::optional<StoredVersion>(StoredVersion{std::move(object).value(),
                                                    (*stmt)->Int(kObjectSequenceColumn),
                                                    (*stmt)->Int(kObjectExtraColumn)});
}

Result<void> RunOnKey(Db& db, const char* query, std::string_view bucket, std::string_view key,
                      std::optional<int64_t> sequence = std::nullopt) {
  auto stmt = db.Prepare(query);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, bucket).Bind(2, key);
  if (sequence) (*stmt)->Bind(3, *sequence);
  return (*stmt)->Run();
}

Result<void> WriteRow(Db& db, const char* query, const ObjectRecord& object, int64_t inline_id,
                      int64_t sequence) {
  auto stmt = db.Prepare(query);
  if (!stmt) return stmt.error();
  BindObjectRow(**stmt, object, inline_id, sequence);
  return (*stmt)->Run();
}

}  // namespace

Result<std::optional<StoredVersion>> FindObjectRow(Db& db, std::string_view bucket,
                                                   std::string_view key) {
  return FindRow(db, sql::kGetObjectMeta, bucket, key, std::nullopt, true);
}

Result<void> WriteObjectRow(Db& db, const ObjectRecord& object, int64_t old_inline_id,
                            int64_t sequence) {
  auto inline_id = StoreInline(db, object, old_inline_id);
  if (!inline_id) return inline_id.error();
  return WriteRow(db, sql::kReplaceObject, object, *inline_id, sequence);
}

Result<std::optional<BucketRecord>> SqlVersionRows::FindBucket(std::string_view name) {
  auto stmt = db_.Prepare(sql::kGetBucketProtection);
  if (!stmt) return stmt.error();
  (*stmt)->BindView(1, name);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<BucketRecord>();
  auto bucket = ReadBucketProtection(**stmt);
  if (!bucket) return bucket.error();
  bucket->name = std::string(name);
  return std::optional<BucketRecord>(std::move(bucket).value());
}

Result<std::optional<StoredVersion>> SqlVersionRows::FindCurrent(std::string_view bucket,
                                                                 std::string_view key) {
  return FindObjectRow(db_, bucket, key);
}

Result<std::optional<StoredVersion>> SqlVersionRows::FindNoncurrent(std::string_view bucket,
                                                                    std::string_view key,
                                                                    std::string_view version_id) {
  return FindRow(db_, sql::kGetVersionMeta, bucket, key, version_id, false);
}

Result<void> SqlVersionRows::WriteCurrent(const ObjectRecord& object, int64_t sequence,
                                          const StoredVersion* replaced) {
  return WriteObjectRow(db_, object, replaced ? replaced->handle : 0, sequence);
}

Result<void> SqlVersionRows::Demote(const StoredVersion& current) {
  const ObjectRecord& record = current.record;
  KURA_TRY(RunOnKey(db_, sql::kDemoteObject, record.bucket, record.key));
  return RunOnKey(db_, sql::kDeleteObject, record.bucket, record.key);
}

Result<void> SqlVersionRows::Remove(const StoredVersion& version) {
  const ObjectRecord& record = version.record;
  if (record.is_latest) {
    KURA_TRY(RunOnKey(db_, sql::kDeleteObject, record.bucket, record.key));
  } else {
    KURA_TRY(RunOnKey(db_, sql::kDeleteVersion, record.bucket, record.key, version.sequence));
  }
  return version.handle != 0 ? DeleteInline(db_, version.handle) : Ok();
}

Result<void> SqlVersionRows::PromoteNewest(std::string_view bucket, std::string_view key) {
  auto stmt = db_.Prepare(sql::kNewestVersionSeq);
  if (!stmt) return stmt.error();
  (*stmt)->BindView(1, bucket).BindView(2, key);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return Ok();
  int64_t sequence = (*stmt)->Int(0);
  KURA_TRY(RunOnKey(db_, sql::kPromoteVersion, bucket, key, sequence));
  return RunOnKey(db_, sql::kDeleteVersion, bucket, key, sequence);
}

Result<void> SqlVersionRows::RewriteMeta(const StoredVersion& version,
                                         const ObjectRecord& object) {
  const char* query = version.record.is_latest ? sql::kReplaceObject : sql::kReplaceVersion;
  return WriteRow(db_, query, object, version.handle, version.sequence);
}

Result<int64_t> SqlVersionRows::NextSequence() {
  auto stmt = db_.Prepare(sql::kNextSequence);
  if (!stmt) return stmt.error();
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return MakeError(ErrorCode::kInternalError, "the version sequence is missing");
  return (*stmt)->Int(0);
}

}  // namespace kura::store::sqlite
