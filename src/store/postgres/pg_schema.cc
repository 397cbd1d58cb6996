#include "store/postgres/pg_schema.h"

#include <iterator>
#include <string>

namespace kura::store::postgres {
namespace {

// Version 1: the layout of the SQLite store's schema 9 (store/sqlite/migrations.cc), same
// columns and meanings, in PostgreSQL's types:
// - Every string is bytea. Object keys may hold any byte (NUL included, which text cannot), and
//   S3 orders keys as UTF-8 bytes: bytea compares with memcmp, shorter first, which is exactly
//   that order, whatever the database's collation. The other strings follow for uniformity
//   (upload ids, markers and documents come from clients too).
// - Integers are bigint; flags 0/1.
// - `objects` holds each key's current version (GET/HEAD: one primary-key read);
//   `object_versions` the noncurrent ones, same columns in the same order (a version moves by
//   INSERT … SELECT). Inline bodies sit in `inline_blobs` by id with their CRC32C, so listings
//   and version moves never read object bytes; STORAGE EXTERNAL keeps them uncompressed (object
//   bytes rarely compress, and trying costs CPU on every write).
// - `version_seq` orders the versions of a key across every node: nextval() is taken under the
//   key's lock (postgres_writes.cc). CACHE 1 (the default) is required: a per-session cache
//   would hand out numbers out of order across sessions.
constexpr const char kV1[] = R"sql(
CREATE TABLE buckets (
  name                    bytea  NOT NULL PRIMARY KEY,
  region                  bytea  NOT NULL,
  owner_id                bytea  NOT NULL,
  created_ns              bigint NOT NULL,
  policy_json             bytea  NOT NULL DEFAULT '',
  tags                    bytea  NOT NULL DEFAULT '',
  cors_xml                bytea  NOT NULL DEFAULT '',
  versioning              bigint NOT NULL DEFAULT 0,
  object_lock             bigint NOT NULL DEFAULT 0,
  default_retention_mode  bigint NOT NULL DEFAULT 0,
  default_retention_days  bigint NOT NULL DEFAULT 0,
  default_retention_years bigint NOT NULL DEFAULT 0,
  lifecycle_xml           bytea  NOT NULL DEFAULT '',
  object_ownership        bigint NOT NULL DEFAULT 0,
  acl                     bytea  NOT NULL DEFAULT '',
  public_access_block     bigint NOT NULL DEFAULT 0,
  encryption              bytea  NOT NULL DEFAULT '',
  owner_account           bytea  NOT NULL DEFAULT ''
);
CREATE TABLE objects (
  bucket             bytea  NOT NULL,
  key                bytea  NOT NULL,
  size               bigint NOT NULL,
  etag               bytea  NOT NULL,
  last_modified_ns   bigint NOT NULL,
  content_type       bytea  NOT NULL DEFAULT '',
  headers            bytea  NOT NULL DEFAULT '',
  user_metadata      bytea  NOT NULL DEFAULT '',
  checksum_algorithm bytea  NOT NULL DEFAULT '',
  checksum_value     bytea  NOT NULL DEFAULT '',
  checksum_type      bytea  NOT NULL DEFAULT '',
  tags               bytea  NOT NULL DEFAULT '',
  storage_class      bytea  NOT NULL DEFAULT '',
  parts_count        bigint NOT NULL DEFAULT 0,
  blob_kind          bigint NOT NULL,
  blob_id            bytea  NOT NULL DEFAULT '',
  blob_parts         bytea  NOT NULL DEFAULT '',
  inline_id          bigint NOT NULL DEFAULT 0,
  version_id         bytea  NOT NULL,
  seq                bigint NOT NULL,
  delete_marker      bigint NOT NULL DEFAULT 0,
  retention_mode     bigint NOT NULL DEFAULT 0,
  retain_until_ns    bigint NOT NULL DEFAULT 0,
  legal_hold         bigint NOT NULL DEFAULT 0,
  acl                bytea  NOT NULL DEFAULT '',
  encryption         bytea  NOT NULL DEFAULT '',
  PRIMARY KEY (bucket, key)
);
CREATE TABLE object_versions (LIKE objects INCLUDING DEFAULTS, PRIMARY KEY (bucket, key, seq));
CREATE UNIQUE INDEX object_versions_by_id ON object_versions (bucket, key, version_id);
CREATE TABLE inline_blobs (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  data   bytea  NOT NULL,
  crc32c bigint
);
ALTER TABLE inline_blobs ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE SEQUENCE version_seq;
CREATE TABLE uploads (
  upload_id    bytea  NOT NULL PRIMARY KEY,
  bucket       bytea  NOT NULL,
  key          bytea  NOT NULL,
  initiated_ns bigint NOT NULL,
  object       bytea  NOT NULL
);
CREATE INDEX uploads_by_key ON uploads (bucket, key, initiated_ns, upload_id);
CREATE TABLE parts (
  upload_id        bytea  NOT NULL,
  part_number      bigint NOT NULL,
  size             bigint NOT NULL,
  etag             bytea  NOT NULL,
  last_modified_ns bigint NOT NULL,
  checksum_value   bytea  NOT NULL DEFAULT '',
  blob_id          bytea  NOT NULL,
  PRIMARY KEY (upload_id, part_number)
);
CREATE TABLE documents (
  kind  bytea NOT NULL,
  id    bytea NOT NULL,
  value bytea NOT NULL,
  PRIMARY KEY (kind, id)
);
)sql";

// Scale-out (#20): the configuration generation (MetadataStore::ConfigGeneration), one row moved
// in the transaction of every document and bucket-configuration write.
constexpr const char kV2[] = R"sql(
CREATE TABLE config_generation (n bigint NOT NULL);
INSERT INTO config_generation (n) VALUES (0);
)sql";

// Scale-out (#20): the node registry (store/node_registry.h): each following node's
// confirmed configuration generation and its heartbeat on the server's clock.
constexpr const char kV3[] = R"sql(
CREATE TABLE config_followers (
  node_id bytea PRIMARY KEY,
  generation bigint NOT NULL,
  heartbeat_at timestamptz NOT NULL
);
)sql";

// GetAccessKeyLastUsed: each access key's latest verified use (store/key_usage_log.h), as the
// SQLite store's schema 12. Written by every node's flushes; never part of the configuration
// generation.
constexpr const char kV4[] = R"sql(
CREATE TABLE key_last_used (
  access_key_id bytea PRIMARY KEY,
  used_at_ms bigint NOT NULL,
  service bytea NOT NULL,
  region bytea NOT NULL
);
)sql";

struct PgMigration {
  int version;
  const char* sql;
};

constexpr PgMigration kMigrations[] = {
    {1, kV1},
    {2, kV2},
    {3, kV3},
    {4, kV4},
};

// The advisory lock of migrations: (kura's class id, "schema"), in the two-key space, apart
// from the one-key space of the write locks.
constexpr const char kLockMigrations[] = "SELECT pg_advisory_xact_lock(1801547361, 1)";

Result<int> CurrentVersion(PgConnection& conn) {
  KURA_TRY(conn.Run("CREATE TABLE IF NOT EXISTS schema_version (version bigint NOT NULL)"));
  auto result = conn.Exec("SELECT coalesce(max(version), 0) FROM schema_version");
  if (!result) return result.error();
  return static_cast<int>(result->row(0).Int(0));
}

Result<void> MigrateLocked(PgConnection& conn) {
  KURA_TRY(conn.Run(kLockMigrations));
  auto current = CurrentVersion(conn);
  if (!current) return current.error();
  if (*current > LatestPgSchemaVersion()) {
    return MakeError(ErrorCode::kInternalError,
                     "PostgreSQL metadata schema version " + std::to_string(*current) +
                         " is newer than this kura (" + std::to_string(LatestPgSchemaVersion()) +
                         ")");
  }
  for (const PgMigration& migration : kMigrations) {
    if (migration.version <= *current) continue;
    KURA_TRY(conn.Run(migration.sql));
    KURA_TRY(conn.Exec("DELETE FROM schema_version"));
    KURA_TRY(conn.Exec("INSERT INTO schema_version (version) VALUES ($1)",
                       PgParams().Int(migration.version)));
  }
  return Ok();
}

}  // namespace

int LatestPgSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<void> MigratePgSchema(PgConnection& conn) {
  KURA_TRY(conn.Run("BEGIN"));
  Result<void> migrated = MigrateLocked(conn);
  if (!migrated) {
    if (!conn.broken()) (void)conn.Run("ROLLBACK");
    return migrated;
  }
  return conn.Run("COMMIT");
}

}  // namespace kura::store::postgres
