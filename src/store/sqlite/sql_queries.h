// The SQL kura's SQLite store runs, in one place, next to the row layout (row_codec.h).
#pragma once

#include "store/sqlite/row_codec.h"

namespace kura::store::sqlite::sql {

#define KURA_BUCKET_COLUMNS                                                              \
  "name, region, owner_id, created_ns, policy_json, tags, cors_xml, versioning, object_lock, " \
  "default_retention_mode, default_retention_days, default_retention_years, lifecycle_xml, " \
  "object_ownership, acl, public_access_block, encryption, owner_account"
#define KURA_OBJECT_ROW_VALUES \
  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, " \
  "?21, ?22, ?23, ?24, ?25, ?26)"

// What the write rules of store/versioning.cc read of a bucket (SqlVersionRows::FindBucket).
inline constexpr const char kGetBucketProtection[] =
    "SELECT versioning, object_lock, default_retention_mode, default_retention_days, "
    "default_retention_years FROM buckets WHERE name = ?1";
inline constexpr const char kGetBucket[] =
    "SELECT " KURA_BUCKET_COLUMNS " FROM buckets "
    "WHERE name = ?1";
inline constexpr const char kListBuckets[] =
    "SELECT " KURA_BUCKET_COLUMNS " FROM buckets "
    "ORDER BY name";
inline constexpr const char kBucketExists[] = "SELECT 1 FROM buckets WHERE name = ?1";
inline constexpr const char kBucketOwner[] = "SELECT owner_id FROM buckets WHERE name = ?1";
inline constexpr const char kInsertBucket[] =
    "INSERT INTO buckets (" KURA_BUCKET_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
inline constexpr const char kReplaceBucket[] =
    "REPLACE INTO buckets (" KURA_BUCKET_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
inline constexpr const char kDeleteBucket[] = "DELETE FROM buckets WHERE name = ?1";
inline constexpr const char kAnyObject[] = "SELECT 1 FROM objects WHERE bucket = ?1 LIMIT 1";

// Column kObjectExtraColumn: the inline body (NULL when the object has no inline row); the next
// column its CRC32C, -1 when it has none (stored before checksums, or no inline row).
inline constexpr const char kGetObject[] =
    "SELECT " KURA_OBJECT_COLUMNS ", inline_blobs.data, coalesce(inline_blobs.crc32c, -1) FROM "
    "objects LEFT JOIN inline_blobs "
    "ON inline_blobs.id = objects.inline_id WHERE objects.bucket = ?1 AND objects.key = ?2";
// Column kObjectExtraColumn: inline_id.
inline constexpr const char kGetObjectMeta[] =
    "SELECT " KURA_OBJECT_COLUMNS ", inline_id FROM objects WHERE bucket = ?1 AND key = ?2";
// Listing (ListObjects): latest versions that are not delete markers.
inline constexpr const char kSeekObjects[] =
    "SELECT " KURA_OBJECT_COLUMNS " FROM objects WHERE bucket = ?1 AND key >= ?2 AND "
    "delete_marker = 0 ORDER BY key";
// Listing (ListObjectVersions): every latest version.
inline constexpr const char kSeekLatest[] =
    "SELECT " KURA_OBJECT_COLUMNS " FROM objects WHERE bucket = ?1 AND key >= ?2 ORDER BY key";
inline constexpr const char kReplaceObject[] =
    "REPLACE INTO objects (" KURA_OBJECT_ROW_COLUMNS ") VALUES " KURA_OBJECT_ROW_VALUES;

// Noncurrent versions (object_versions). Column kObjectExtraColumn of the two Get queries as in objects.
inline constexpr const char kGetVersion[] =
    "SELECT " KURA_OBJECT_COLUMNS ", inline_blobs.data, coalesce(inline_blobs.crc32c, -1) FROM "
    "object_versions LEFT JOIN "
    "inline_blobs ON inline_blobs.id = object_versions.inline_id WHERE object_versions.bucket = "
    "?1 AND object_versions.key = ?2 AND object_versions.version_id = ?3";
inline constexpr const char kGetVersionMeta[] =
    "SELECT " KURA_OBJECT_COLUMNS ", inline_id FROM object_versions WHERE bucket = ?1 AND "
    "key = ?2 AND version_id = ?3";
inline constexpr const char kOlderVersions[] =
    "SELECT " KURA_OBJECT_COLUMNS " FROM object_versions WHERE bucket = ?1 AND key = ?2 AND "
    "seq < ?3 ORDER BY seq DESC LIMIT ?4";
inline constexpr const char kNewestVersionSeq[] =
    "SELECT seq FROM object_versions WHERE bucket = ?1 AND key = ?2 ORDER BY seq DESC LIMIT 1";
inline constexpr const char kDemoteObject[] =
    "INSERT INTO object_versions (" KURA_OBJECT_ROW_COLUMNS ") SELECT " KURA_OBJECT_ROW_COLUMNS
    " FROM objects WHERE bucket = ?1 AND key = ?2";
inline constexpr const char kPromoteVersion[] =
    "INSERT INTO objects (" KURA_OBJECT_ROW_COLUMNS ") SELECT " KURA_OBJECT_ROW_COLUMNS
    " FROM object_versions WHERE bucket = ?1 AND key = ?2 AND seq = ?3";
inline constexpr const char kReplaceVersion[] =
    "REPLACE INTO object_versions (" KURA_OBJECT_ROW_COLUMNS ") VALUES " KURA_OBJECT_ROW_VALUES;
inline constexpr const char kDeleteVersion[] =
    "DELETE FROM object_versions WHERE bucket = ?1 AND key = ?2 AND seq = ?3";
inline constexpr const char kAnyVersion[] =
    "SELECT 1 FROM object_versions WHERE bucket = ?1 LIMIT 1";
inline constexpr const char kNextSequence[] =
    "UPDATE sequences SET value = value + 1 WHERE name = 'version' RETURNING value";
inline constexpr const char kBumpConfigGeneration[] =
    "UPDATE sequences SET value = value + 1 WHERE name = 'config' RETURNING value";
inline constexpr const char kConfigGeneration[] =
    "SELECT value FROM sequences WHERE name = 'config'";
// The node registry; heartbeats on the store's clock, in milliseconds since the Unix epoch.
inline constexpr const char kConfirmFollowing[] =
    "INSERT OR REPLACE INTO config_followers (node_id, generation, heartbeat_ms) "
    "VALUES (?1, ?2, CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER))";
inline constexpr const char kNodesBehind[] =
    "SELECT node_id FROM config_followers WHERE generation < ?1 "
    "AND heartbeat_ms > CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) - ?2 ORDER BY node_id";
inline constexpr const char kLeaveFollowing[] = "DELETE FROM config_followers WHERE node_id = ?1";
// The keys' last uses (store/key_usage_log.h): a stored later use is kept.
inline constexpr const char kRecordKeyUse[] =
    "INSERT INTO key_last_used (access_key_id, used_at_ms, service, region) "
    "VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (access_key_id) DO UPDATE SET used_at_ms = excluded.used_at_ms, "
    "service = excluded.service, region = excluded.region "
    "WHERE excluded.used_at_ms > key_last_used.used_at_ms";
inline constexpr const char kLastKeyUse[] =
    "SELECT used_at_ms, service, region FROM key_last_used WHERE access_key_id = ?1";
inline constexpr const char kInsertInline[] =
    "INSERT INTO inline_blobs (data, crc32c) VALUES (?1, ?2)";
inline constexpr const char kUpdateInline[] =
    "UPDATE inline_blobs SET data = ?2, crc32c = ?3 WHERE id = ?1";
inline constexpr const char kDeleteInline[] = "DELETE FROM inline_blobs WHERE id = ?1";
inline constexpr const char kDeleteObject[] = "DELETE FROM objects WHERE bucket = ?1 AND key = ?2";
inline constexpr const char kFileBlobIds[] =
    "SELECT blob_id FROM objects WHERE blob_kind = 1 "
    "UNION ALL SELECT blob_id FROM object_versions WHERE blob_kind = 1 "
    "UNION ALL SELECT blob_id FROM parts";
inline constexpr const char kPartsBlobs[] =
    "SELECT blob_parts FROM objects WHERE blob_kind = 2 "
    "UNION ALL SELECT blob_parts FROM object_versions WHERE blob_kind = 2";

inline constexpr const char kInsertUpload[] =
    "INSERT INTO uploads (upload_id, bucket, key, initiated_ns, object) VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr const char kGetUpload[] =
    "SELECT upload_id, bucket, key, initiated_ns, object FROM uploads WHERE upload_id = ?1";
inline constexpr const char kSeekUploads[] =
    "SELECT upload_id, bucket, key, initiated_ns, object FROM uploads WHERE bucket = ?1 AND "
    "key >= ?2 ORDER BY key, initiated_ns, upload_id";
inline constexpr const char kUploadIdsOfBucket[] = "SELECT upload_id FROM uploads WHERE bucket = ?1";
inline constexpr const char kDeleteUpload[] = "DELETE FROM uploads WHERE upload_id = ?1";
inline constexpr const char kGetPartBlob[] =
    "SELECT blob_id, size FROM parts WHERE upload_id = ?1 AND part_number = ?2";
inline constexpr const char kReplacePart[] =
    "REPLACE INTO parts (upload_id, part_number, size, etag, last_modified_ns, checksum_value, "
    "blob_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
inline constexpr const char kListParts[] =
    "SELECT part_number, size, etag, last_modified_ns, checksum_value, blob_id FROM parts "
    "WHERE upload_id = ?1 AND part_number > ?2 ORDER BY part_number LIMIT ?3";
inline constexpr const char kDeleteParts[] = "DELETE FROM parts WHERE upload_id = ?1";

inline constexpr const char kGetDocument[] =
    "SELECT value FROM documents WHERE kind = ?1 AND id = ?2";
inline constexpr const char kListDocuments[] =
    "SELECT id, value FROM documents WHERE kind = ?1 ORDER BY id";
inline constexpr const char kPutDocument[] =
    "REPLACE INTO documents (kind, id, value) VALUES (?1, ?2, ?3)";
inline constexpr const char kDeleteDocument[] = "DELETE FROM documents WHERE kind = ?1 AND id = ?2";

}  // namespace kura::store::sqlite::sql
