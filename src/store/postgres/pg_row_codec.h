// How records map to PostgreSQL rows: the SQLite store's row layout (store/sqlite/row_codec.h,
// whose packed-list and time encodings are reused as they are, so both stores hold the same
// bytes), read from and bound to libpq's binary values (pg_connection.h).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "store/postgres/pg_connection.h"
#include "store/records.h"

namespace kura::store::postgres {

// Reads KURA_OBJECT_COLUMNS from column 0 (is_latest left true, no inline bytes).
Result<ObjectRecord> ReadObjectRow(const PgRow& row, std::string_view bucket);
// Adds KURA_OBJECT_ROW_COLUMNS as $1…$26 ($18 inline_id, $20 seq).
void BindObjectRow(PgParams& params, const ObjectRecord& object, int64_t inline_id,
                   int64_t sequence);
// Loads the inline body at `column` (its CRC32C, -1 for none, at column + 1) into `blob`:
// kCorruptData (counted and logged, naming the object) when the CRC fails.
Result<void> ReadInlineBody(const PgRow& row, int column, std::string_view bucket,
                            std::string_view key, BlobRef& blob);
int64_t InlineCrc(std::string_view body);

// Bucket rows: KURA_BUCKET_COLUMNS from column 0, bound as $1…$18.
Result<BucketRecord> ReadBucketRow(const PgRow& row);
// The five columns of sql::kGetBucketProtection, from column 0.
Result<BucketRecord> ReadBucketProtection(const PgRow& row);
void BindBucketRow(PgParams& params, const BucketRecord& bucket);

// Columns upload_id, bucket, key, initiated_ns, object.
Result<UploadRecord> ReadUploadRow(const PgRow& row);
// Columns part_number, size, etag, last_modified_ns, checksum_value, blob_id.
PartRecord ReadPartRow(const PgRow& row);

}  // namespace kura::store::postgres
