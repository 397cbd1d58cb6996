// Object rows and their inline bodies in PostgreSQL, as in the SQLite store (its object_rows.h):
// a key's current version is its `objects` row, noncurrent versions are `object_versions` rows,
// a non-empty inline body lives in `inline_blobs` under the row's inline_id (the handle of a
// StoredVersion) and stays there when its version moves between the two tables.
// PgVersionRows runs inside one write transaction, after the caller took the key's lock
// (postgres_writes.cc); FindBucket locks the bucket row FOR SHARE.
// Thread-safety: as PgConnection (one thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "store/postgres/pg_connection.h"
#include "store/versioning.h"

namespace kura::store::postgres {

class PgVersionRows final : public VersionRows {
 public:
  explicit PgVersionRows(PgConnection& conn) : conn_(conn) {}

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
  PgConnection& conn_;
};

}  // namespace kura::store::postgres
