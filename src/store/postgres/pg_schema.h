// The schema of PostgresMetadataStore, created and migrated by Open. The tables live in the
// connection's current schema (search_path), so one database can hold several stores; versions
// are numbered and recorded in `schema_version`. Migrating takes a transaction-scoped advisory
// lock first, so nodes opening the same database at once migrate it exactly once: the others
// wait, then find it current. PostgreSQL's DDL is transactional, so a migration that fails
// leaves nothing half-done.
// Thread-safety: one connection, one thread.
#pragma once

#include "store/postgres/pg_connection.h"

namespace kura::store::postgres {

int LatestPgSchemaVersion();
// Brings the current schema to the latest version; kInternalError for a schema newer than this
// kura knows.
Result<void> MigratePgSchema(PgConnection& conn);

}  // namespace kura::store::postgres
