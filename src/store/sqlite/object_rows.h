// Object rows and their inline bodies (migration 3): the `objects` row carries metadata and an
// `inline_id`; a non-empty inline body lives in `inline_blobs` under that id. These functions run
// on the writer inside the batch transaction (see sqlite_writes.cc) and keep the two tables in
// step: an overwrite reuses or drops the old body row, a delete drops it.
// Thread-safety: as Db (one thread per connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "store/records.h"
#include "store/sqlite/db.h"

namespace kura::store::sqlite {

// A current object row: its record without the inline bytes, and its inline_blobs id (0: none).
struct StoredObject {
  ObjectRecord record;
  int64_t inline_id = 0;
};

// nullopt when there is no such object. Never reads the inline body.
Result<std::optional<StoredObject>> FindObjectRow(Db& db, std::string_view bucket,
                                                  std::string_view key);
// Writes `object` (its inline body too, when kInline and non-empty) in place of the row whose
// inline id was `old_inline_id` (0 for a new row or one without an inline body).
Result<void> WriteObjectRow(Db& db, const ObjectRecord& object, int64_t old_inline_id);
// Rewrites the metadata of an existing row, keeping its blob and inline body as they are.
Result<void> RewriteObjectMeta(Db& db, const ObjectRecord& object, int64_t inline_id);
// Deletes the row and its inline body.
Result<void> DeleteObjectRow(Db& db, std::string_view bucket, std::string_view key,
                             int64_t inline_id);

}  // namespace kura::store::sqlite
