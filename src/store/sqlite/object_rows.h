// Object rows and their inline bodies (migrations 3, 4): the current version of a key is its
// `objects` row, noncurrent versions are `object_versions` rows; both carry metadata and an
// `inline_id`, and a non-empty inline body lives in `inline_blobs` under that id (a version keeps
// its body row when it moves between the two tables). SqlVersionRows runs on the writer inside
// the batch transaction (see sqlite_writes.cc) and keeps the tables in step: an overwrite reuses
// or drops the old body row, a removal drops it.
// Thread-safety: as Db (one thread per connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "store/records.h"
#include "store/sqlite/db.h"
#include "store/versioning.h"

namespace kura::store::sqlite {

// The current version of bucket/key (no inline bytes; handle = inline id), or nullopt.
Result<std::optional<StoredVersion>> FindObjectRow(Db& db, std::string_view bucket,
                                                   std::string_view key);
// Writes `object` (its inline body too, when kInline and non-empty) as the current row, in place
// of the row whose inline id was `old_inline_id` (0 for a new row or one without an inline body).
Result<void> WriteObjectRow(Db& db, const ObjectRecord& object, int64_t old_inline_id,
                            int64_t sequence = 0);

class SqlVersionRows final : public VersionRows {
 public:
  explicit SqlVersionRows(Db& db) : db_(db) {}

  Result<std::optional<BucketRecord>> FindBucket(std::string_view bucket) override;
  Result<std::optional<StoredVersion>> FindCurrent(std::string_view bucket,
                                                   std::string_view key) override;
  Result<std::optional<StoredVersion>> FindNoncurrent(std::string_view bucket,
                                                      std::string_view key,
                                                      std::string_view version_id) override;
  Result<void> WriteCurrent(const ObjectRecord& object, int64_t sequence,
                            const StoredVersion* replaced) override;
  Result<void> Demote(const StoredVersion& current) override;
  Result<void> Remove(const StoredVersion& version) override;
  Result<void> PromoteNewest(std::string_view bucket, std::string_view key) override;
  Result<void> RewriteMeta(const StoredVersion& version, const ObjectRecord& object) override;
  Result<int64_t> NextSequence() override;

 private:
  Db& db_;
};

}  // namespace kura::store::sqlite
