// The metadata half of `kura migrate` (migration.h): every row of an embedded store's SQLite
// database copied into the tables of a PostgreSQL store, which has the same tables and columns
// (store/postgres/pg_schema.cc). Rows pass through the records each store's own codec reads and
// writes (store/sqlite/row_codec.h, store/postgres/pg_row_codec.h), so a column's encoding is
// never re-implemented here; on the way the file blobs they name are copied (BlobCopier) and
// their ids replaced by the copies', and inline bodies are checked against their stored CRC32C.
// Runs inside the caller's PostgreSQL transaction.
// Thread-safety: one thread.
#pragma once

#include <cstdint>

#include "common/error.h"
#include "migrate/blob_copy.h"
#include "store/postgres/pg_connection.h"
#include "store/sqlite/db.h"

namespace kura::migrate {

struct RowCounts {
  int buckets = 0;
  uint64_t versions = 0;  // object versions, delete markers included
  uint64_t delete_markers = 0;
  uint64_t inline_bytes = 0;  // bodies stored in their metadata rows
  uint64_t uploads = 0;       // multipart uploads in progress
  uint64_t parts = 0;
  uint64_t documents = 0;
};

// Copies buckets, object versions (current and noncurrent, with their order), inline bodies,
// uploads in progress with their parts and every document, then moves the target's version
// sequence past the copied ones and its configuration generation on.
Result<RowCounts> CopyRows(store::sqlite::Db& source, store::postgres::PgConnection& target,
                           BlobCopier& blobs);

}  // namespace kura::migrate
