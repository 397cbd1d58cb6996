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
    (*update)->Bind(1, old_id).BindBlob(2, blob.inline_data);
    KURA_TRY((*update)->Run());
    return old_id;
  }
  auto insert = db.Prepare(sql::kInsertInline);
  if (!insert) return insert.error();
  (*insert)->BindBlob(1, blob.inline_data);
  KURA_TRY((*insert)->Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db.raw()));
}

}  // namespace

Result<std::optional<StoredObject>> FindObjectRow(Db& db, std::string_view bucket,
                                                  std::string_view key) {
  auto stmt = db.Prepare(sql::kGetObjectMeta);
  if (!stmt) return stmt.error();
  (*stmt)->BindView(1, bucket).BindView(2, key);  // the lease ends before the views do
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<StoredObject>();
  auto object = ReadObjectRow(**stmt, bucket);
  if (!object) return object.error();
  return std::optional<StoredObject>(
      StoredObject{std::move(object).value(), (*stmt)->Int(kObjectExtraColumn)});
}

Result<void> WriteObjectRow(Db& db, const ObjectRecord& object, int64_t old_inline_id) {
  auto inline_id = StoreInline(db, object, old_inline_id);
  if (!inline_id) return inline_id.error();
  return RewriteObjectMeta(db, object, *inline_id);
}

Result<void> RewriteObjectMeta(Db& db, const ObjectRecord& object, int64_t inline_id) {
  auto stmt = db.Prepare(sql::kReplaceObject);
  if (!stmt) return stmt.error();
  BindObjectRow(**stmt, object, inline_id);
  return (*stmt)->Run();
}

Result<void> DeleteObjectRow(Db& db, std::string_view bucket, std::string_view key,
                             int64_t inline_id) {
  auto stmt = db.Prepare(sql::kDeleteObject);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, bucket).Bind(2, key);
  KURA_TRY((*stmt)->Run());
  return inline_id != 0 ? DeleteInline(db, inline_id) : Ok();
}

}  // namespace kura::store::sqlite
