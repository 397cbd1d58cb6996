// The SQL PostgresMetadataStore runs, in one place, next to the row layout (pg_row_codec.h).
// Column lists are the SQLite store's (store/sqlite/row_codec.h, sql_queries.h): the two stores
// keep the same rows. Writes lock what they read: see postgres_writes.cc for the order.
#pragma once

#include <string>

#include "store/sqlite/row_codec.h"
#include "store/sqlite/sql_queries.h"

namespace kura::store::postgres::sql {

// "$first, $first+1, …, $last".
std::string Placeholders(int first, int last);
// "column = EXCLUDED.column, …" for every column of `columns` (a comma-separated list) but the
// first `skip`.
std::string TakeExcluded(const char* columns, int skip);

// --- buckets ---
inline const std::string kGetBucket =
    "SELECT " KURA_BUCKET_COLUMNS " FROM buckets WHERE name = $1";
// The bucket row, locked against DeleteBucket and UpdateBucket until the write commits.
inline const std::string kGetBucketProtection =
    "SELECT versioning, object_lock, default_retention_mode, default_retention_days, "
    "default_retention_years FROM buckets WHERE name = $1 FOR SHARE";
inline const std::string kLockBucketShared = "SELECT 1 FROM buckets WHERE name = $1 FOR SHARE";
inline const std::string kGetBucketForUpdate = kGetBucket + " FOR UPDATE";
inline const std::string kListBuckets =
    "SELECT " KURA_BUCKET_COLUMNS " FROM buckets ORDER BY name";
inline const std::string kBucketExists = "SELECT 1 FROM buckets WHERE name = $1";
// Returns no row when the name is taken (after waiting for a concurrent insert to commit).
inline const std::string kInsertBucket =
    "INSERT INTO buckets (" KURA_BUCKET_COLUMNS ") VALUES (" + Placeholders(1, 18) +
    ") ON CONFLICT (name) DO NOTHING RETURNING 1";
inline const std::string kUpdateBucket =
    "INSERT INTO buckets (" KURA_BUCKET_COLUMNS ") VALUES (" + Placeholders(1, 18) +
    ") ON CONFLICT (name) DO UPDATE SET " + TakeExcluded(KURA_BUCKET_COLUMNS, 1);
inline const std::string kDeleteBucket = "DELETE FROM buckets WHERE name = $1";
inline const std::string kAnyObject = "SELECT 1 FROM objects WHERE bucket = $1 LIMIT 1";
inline const std::string kAnyVersion = "SELECT 1 FROM object_versions WHERE bucket = $1 LIMIT 1";

// --- current versions (objects) ---
// Column kObjectExtraColumn: the inline body (NULL without an inline row); the next its CRC32C,
// -1 when it has none.
inline const std::string kGetObject =
    "SELECT " KURA_OBJECT_COLUMNS ", inline_blobs.data, coalesce(inline_blobs.crc32c, -1) "
    "FROM objects LEFT JOIN inline_blobs ON inline_blobs.id = objects.inline_id "
    "WHERE objects.bucket = $1 AND objects.key = $2";
// Column kObjectExtraColumn: inline_id.
inline const std::string kGetObjectMeta =
    "SELECT " KURA_OBJECT_COLUMNS ", inline_id FROM objects WHERE bucket = $1 AND key = $2";
// Listing: at most $3 current versions from key $2 on (ListObjects: no delete markers).
inline const std::string kSeekObjects =
    "SELECT " KURA_OBJECT_COLUMNS " FROM objects WHERE bucket = $1 AND key >= $2 AND "
    "delete_marker = 0 ORDER BY key LIMIT $3";
inline const std::string kSeekLatest =
    "SELECT " KURA_OBJECT_COLUMNS " FROM objects WHERE bucket = $1 AND key >= $2 "
    "ORDER BY key LIMIT $3";
inline const std::string kUpsertObject =
    "INSERT INTO objects (" KURA_OBJECT_ROW_COLUMNS ") VALUES (" + Placeholders(1, 26) +
    ") ON CONFLICT (bucket, key) DO UPDATE SET " + TakeExcluded(KURA_OBJECT_ROW_COLUMNS, 2);
inline const std::string kDeleteObject = "DELETE FROM objects WHERE bucket = $1 AND key = $2";

// --- noncurrent versions (object_versions) ---
inline const std::string kGetVersion =
    "SELECT " KURA_OBJECT_COLUMNS ", inline_blobs.data, coalesce(inline_blobs.crc32c, -1) "
    "FROM object_versions LEFT JOIN inline_blobs ON inline_blobs.id = object_versions.inline_id "
    "WHERE object_versions.bucket = $1 AND object_versions.key = $2 AND "
    "object_versions.version_id = $3";
inline const std::string kGetVersionMeta =
    "SELECT " KURA_OBJECT_COLUMNS ", inline_id FROM object_versions WHERE bucket = $1 AND "
    "key = $2 AND version_id = $3";
inline const std::string kOlderVersions =
    "SELECT " KURA_OBJECT_COLUMNS " FROM object_versions WHERE bucket = $1 AND key = $2 AND "
    "seq < $3 ORDER BY seq DESC LIMIT $4";
inline const std::string kNewestVersionSeq =
    "SELECT seq FROM object_versions WHERE bucket = $1 AND key = $2 ORDER BY seq DESC LIMIT 1";
inline const std::string kDemoteObject =
    "INSERT INTO object_versions (" KURA_OBJECT_ROW_COLUMNS ") SELECT " KURA_OBJECT_ROW_COLUMNS
    " FROM objects WHERE bucket = $1 AND key = $2";
inline const std::string kPromoteVersion =
    "INSERT INTO objects (" KURA_OBJECT_ROW_COLUMNS ") SELECT " KURA_OBJECT_ROW_COLUMNS
    " FROM object_versions WHERE bucket = $1 AND key = $2 AND seq = $3";
inline const std::string kUpsertVersion =
    "INSERT INTO object_versions (" KURA_OBJECT_ROW_COLUMNS ") VALUES (" + Placeholders(1, 26) +
    ") ON CONFLICT (bucket, key, seq) DO UPDATE SET " + TakeExcluded(KURA_OBJECT_ROW_COLUMNS, 2);
inline const std::string kDeleteVersion =
    "DELETE FROM object_versions WHERE bucket = $1 AND key = $2 AND seq = $3";
inline const std::string kNextSequence = "SELECT nextval('version_seq')";

// --- inline bodies ---
inline const std::string kInsertInline =
    "INSERT INTO inline_blobs (data, crc32c) VALUES ($1, $2) RETURNING id";
inline const std::string kUpdateInline =
    "UPDATE inline_blobs SET data = $2, crc32c = $3 WHERE id = $1";
inline const std::string kDeleteInline = "DELETE FROM inline_blobs WHERE id = $1";

// --- references (the orphan sweep) ---
inline const std::string kFileBlobIds =
    "SELECT blob_id FROM objects WHERE blob_kind = 1 "
    "UNION ALL SELECT blob_id FROM object_versions WHERE blob_kind = 1 "
    "UNION ALL SELECT blob_id FROM parts";
inline const std::string kPartsBlobs =
    "SELECT blob_parts FROM objects WHERE blob_kind = 2 "
    "UNION ALL SELECT blob_parts FROM object_versions WHERE blob_kind = 2";

// --- multipart uploads ---
inline const std::string kInsertUpload =
    "INSERT INTO uploads (upload_id, bucket, key, initiated_ns, object) "
    "VALUES ($1, $2, $3, $4, $5)";
inline const std::string kGetUpload =
    "SELECT upload_id, bucket, key, initiated_ns, object FROM uploads WHERE upload_id = $1";
// The upload row, locked against a concurrent PutPart, Complete or Abort of the same upload.
inline const std::string kGetUploadForUpdate = kGetUpload + " FOR UPDATE";
// At most $3 uploads from key $2 on, but none of key $4 with an upload id <= $5 ('' = any).
inline const std::string kSeekUploads =
    "SELECT upload_id, bucket, key, initiated_ns, object FROM uploads WHERE bucket = $1 AND "
    "key >= $2 AND NOT (key = $4 AND ($5 = ''::bytea OR upload_id <= $5)) "
    "ORDER BY key, initiated_ns, upload_id LIMIT $3";
inline const std::string kUploadIdsOfBucket =
    "SELECT upload_id FROM uploads WHERE bucket = $1 FOR UPDATE";
inline const std::string kDeleteUpload = "DELETE FROM uploads WHERE upload_id = $1";
inline const std::string kGetPartBlob =
    "SELECT blob_id, size FROM parts WHERE upload_id = $1 AND part_number = $2";
inline const std::string kUpsertPart =
    "INSERT INTO parts (upload_id, part_number, size, etag, last_modified_ns, checksum_value, "
    "blob_id) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (upload_id, part_number) DO UPDATE "
    "SET size = EXCLUDED.size, etag = EXCLUDED.etag, last_modified_ns = EXCLUDED.last_modified_ns, "
    "checksum_value = EXCLUDED.checksum_value, blob_id = EXCLUDED.blob_id";
inline const std::string kListParts =
    "SELECT part_number, size, etag, last_modified_ns, checksum_value, blob_id FROM parts "
    "WHERE upload_id = $1 AND part_number > $2 ORDER BY part_number LIMIT $3";
inline const std::string kDeleteParts = "DELETE FROM parts WHERE upload_id = $1";

// --- documents ---
// The configuration generation. Writers take its row lock after any bucket row's and before any
// document's (bucket → generation → documents), so two writes never wait for each other in a
// cycle; the conditional bump re-reads the row after a competing writer's commit (READ
// COMMITTED re-evaluates the WHERE on the new row version) and then matches nothing.
inline const std::string kConfigGeneration = "SELECT n FROM config_generation";
inline const std::string kLockConfigGeneration = "SELECT n FROM config_generation FOR UPDATE";
inline const std::string kBumpConfigGeneration =
    "UPDATE config_generation SET n = n + 1 RETURNING n";
inline const std::string kBumpConfigGenerationIf =
    "UPDATE config_generation SET n = n + 1 WHERE n = $1 RETURNING n";
// The node registry. clock_timestamp(), not now() (the transaction's start): the heartbeat is
// the moment of the write, and liveness is judged on the server's clock alone.
inline const std::string kConfirmFollowing =
    "INSERT INTO config_followers (node_id, generation, heartbeat_at) "
    "VALUES ($1, $2, clock_timestamp()) ON CONFLICT (node_id) DO UPDATE SET "
    "generation = EXCLUDED.generation, heartbeat_at = EXCLUDED.heartbeat_at";
inline const std::string kNodesBehind =
    "SELECT node_id FROM config_followers WHERE generation < $1 AND heartbeat_at > "
    "clock_timestamp() - $2::double precision * interval '1 millisecond' ORDER BY node_id";
inline const std::string kLeaveFollowing = "DELETE FROM config_followers WHERE node_id = $1";
// The keys' last uses (store/key_usage_log.h): kRecordKeyUses(n) upserts n rows ($1…$4n: id,
// time, service, region per row) and keeps a stored later use.
std::string RecordKeyUses(int rows);
inline const std::string kLastKeyUse =
    "SELECT used_at_ms, service, region FROM key_last_used WHERE access_key_id = $1";
inline const std::string kGetDocument = "SELECT value FROM documents WHERE kind = $1 AND id = $2";
inline const std::string kListDocuments =
    "SELECT id, value FROM documents WHERE kind = $1 ORDER BY id";
inline const std::string kPutDocument =
    "INSERT INTO documents (kind, id, value) VALUES ($1, $2, $3) "
    "ON CONFLICT (kind, id) DO UPDATE SET value = EXCLUDED.value";
inline const std::string kDeleteDocument = "DELETE FROM documents WHERE kind = $1 AND id = $2";
// PutDocumentIf: each returns a row only when it wrote. Under READ COMMITTED a competing writer
// of the same row waits for the first to commit, then re-checks the condition on the new value.
inline const std::string kInsertDocumentIfAbsent =
    "INSERT INTO documents (kind, id, value) VALUES ($1, $2, $3) "
    "ON CONFLICT (kind, id) DO NOTHING RETURNING 1";
inline const std::string kReplaceDocumentIf =
    "UPDATE documents SET value = $3 WHERE kind = $1 AND id = $2 AND value = $4 RETURNING 1";
inline const std::string kDeleteDocumentIf =
    "DELETE FROM documents WHERE kind = $1 AND id = $2 AND value = $3 RETURNING 1";

}  // namespace kura::store::postgres::sql
