// The metadata schema as numbered migrations, applied in order at open, each in its own
// transaction together with the bump of schema_version. Never edit a released migration: add
// the next one. The schema is documented in docs/formats/data-dir.md.
// Thread-safety: run on one connection before the store is shared.
#pragma once

#include <span>

#include "common/error.h"
#include "store/sqlite/db.h"

namespace kura::store::sqlite {

struct Migration {
  int version;      // 1, 2, … without gaps
  const char* sql;  // statements taking the schema from version - 1 to version
};

std::span<const Migration> Migrations();
int LatestSchemaVersion();

// The version recorded in the database (0 for a new database).
Result<int> SchemaVersion(Db& db);
// Applies the migrations after the current version up to `target` (default: latest).
// Fails on a database newer than this binary knows.
Result<void> Migrate(Db& db, int target = LatestSchemaVersion());

}  // namespace kura::store::sqlite
