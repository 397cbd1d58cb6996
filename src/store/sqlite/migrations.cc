#include "store/sqlite/migrations.h"

#include <string>

namespace kura::store::sqlite {
namespace {

// Keys compare as UTF-8 bytes: TEXT with the default BINARY collation is memcmp order.
// WITHOUT ROWID tables are clustered on their primary key, so (bucket, key) range scans read
// adjacent pages whatever the bucket size. inline_data is the last column so that listing
// (which never reads it) does not touch its overflow pages.
constexpr const char kV1[] = R"sql(
CREATE TABLE buckets (
  name        TEXT    NOT NULL PRIMARY KEY,
  region      TEXT    NOT NULL,
  owner_id    TEXT    NOT NULL,
  created_ns  INTEGER NOT NULL,
  policy_json TEXT    NOT NULL DEFAULT '',
  tags        BLOB    NOT NULL DEFAULT x'',
  cors_xml    TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE objects (
  bucket             TEXT    NOT NULL,
  key                TEXT    NOT NULL,
  size               INTEGER NOT NULL,
  etag               TEXT    NOT NULL,
  last_modified_ns   INTEGER NOT NULL,
  content_type       TEXT    NOT NULL DEFAULT '',
  headers            BLOB    NOT NULL DEFAULT x'',
  user_metadata      BLOB    NOT NULL DEFAULT x'',
  checksum_algorithm TEXT    NOT NULL DEFAULT '',
  checksum_value     TEXT    NOT NULL DEFAULT '',
  checksum_type      TEXT    NOT NULL DEFAULT '',
  tags               BLOB    NOT NULL DEFAULT x'',
  storage_class      TEXT    NOT NULL DEFAULT '',
  parts_count        INTEGER NOT NULL DEFAULT 0,
  blob_kind          INTEGER NOT NULL,
  blob_id            TEXT    NOT NULL DEFAULT '',
  blob_parts         BLOB    NOT NULL DEFAULT x'',
  inline_data        BLOB    NOT NULL DEFAULT x'',
  PRIMARY KEY (bucket, key)
) WITHOUT ROWID;
CREATE TABLE documents (
  kind  TEXT NOT NULL,
  id    TEXT NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
)sql";

// Multipart uploads. A part is always a file blob; completing an upload writes an object whose
// blob is kParts (the part files, in order), so no byte is copied.
constexpr const char kV2[] = R"sql(
CREATE TABLE uploads (
  upload_id    TEXT    NOT NULL PRIMARY KEY,
  bucket       TEXT    NOT NULL,
  key          TEXT    NOT NULL,
  initiated_ns INTEGER NOT NULL,
  object       BLOB    NOT NULL
) WITHOUT ROWID;
CREATE INDEX uploads_by_key ON uploads (bucket, key, initiated_ns, upload_id);
CREATE TABLE parts (
  upload_id        TEXT    NOT NULL,
  part_number      INTEGER NOT NULL,
  size             INTEGER NOT NULL,
  etag             TEXT    NOT NULL,
  last_modified_ns INTEGER NOT NULL,
  checksum_value   TEXT    NOT NULL DEFAULT '',
  blob_id          TEXT    NOT NULL,
  PRIMARY KEY (upload_id, part_number)
) WITHOUT ROWID;
)sql";

// Inline bodies move out of the objects rows into inline_blobs, keyed by an integer id: the
// (bucket, key) B-tree keeps only compact metadata rows (no overflow pages), so the key lookup of
// a GET/HEAD/PUT and every listing never load object bytes; a GET reads the body by rowid.
// inline_id 0: no inline row (a file or parts blob, or an empty inline body). Existing inline
// bodies are numbered in key order and copied; the old table is dropped.
constexpr const char kV3[] = R"sql(
CREATE TABLE inline_blobs (
  id   INTEGER PRIMARY KEY,
  data BLOB    NOT NULL
);
CREATE TABLE objects_v3 (
  bucket             TEXT    NOT NULL,
  key                TEXT    NOT NULL,
  size               INTEGER NOT NULL,
  etag               TEXT    NOT NULL,
  last_modified_ns   INTEGER NOT NULL,
  content_type       TEXT    NOT NULL DEFAULT '',
  headers            BLOB    NOT NULL DEFAULT x'',
  user_metadata      BLOB    NOT NULL DEFAULT x'',
  checksum_algorithm TEXT    NOT NULL DEFAULT '',
  checksum_value     TEXT    NOT NULL DEFAULT '',
  checksum_type      TEXT    NOT NULL DEFAULT '',
  tags               BLOB    NOT NULL DEFAULT x'',
  storage_class      TEXT    NOT NULL DEFAULT '',
  parts_count        INTEGER NOT NULL DEFAULT 0,
  blob_kind          INTEGER NOT NULL,
  blob_id            TEXT    NOT NULL DEFAULT '',
  blob_parts         BLOB    NOT NULL DEFAULT x'',
  inline_id          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, key)
) WITHOUT ROWID;
INSERT INTO objects_v3 (bucket, key, size, etag, last_modified_ns, content_type, headers,
                        user_metadata, checksum_algorithm, checksum_value, checksum_type, tags,
                        storage_class, parts_count, blob_kind, blob_id, blob_parts, inline_id)
  SELECT bucket, key, size, etag, last_modified_ns, content_type, headers, user_metadata,
         checksum_algorithm, checksum_value, checksum_type, tags, storage_class, parts_count,
         blob_kind, blob_id, blob_parts,
         CASE WHEN blob_kind = 0 AND length(inline_data) > 0
              THEN row_number() OVER (ORDER BY bucket, key) ELSE 0 END
  FROM objects;
INSERT INTO inline_blobs (id, data)
  SELECT n.inline_id, o.inline_data FROM objects_v3 AS n JOIN objects AS o USING (bucket, key)
  WHERE n.inline_id <> 0;
DROP TABLE objects;
ALTER TABLE objects_v3 RENAME TO objects;
)sql";

// Versioning and Object Lock. `objects` keeps the current version of each key (a delete marker
// flagged), so GET/HEAD stay one primary-key read; `object_versions` holds the noncurrent ones,
// clustered by (bucket, key, seq DESC) so a key's versions are read newest first; its columns are
// those of `objects`, in the same order, so a version moves between them by INSERT … SELECT.
// `seq` orders the versions of a key (from the `sequences` row 'version'; 0 for the one "null"
// version of an unversioned bucket). Existing objects become "null" versions, sequence 0.
constexpr const char kV4[] = R"sql(
ALTER TABLE buckets ADD COLUMN versioning              INTEGER NOT NULL DEFAULT 0;
ALTER TABLE buckets ADD COLUMN object_lock             INTEGER NOT NULL DEFAULT 0;
ALTER TABLE buckets ADD COLUMN default_retention_mode  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE buckets ADD COLUMN default_retention_days  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE buckets ADD COLUMN default_retention_years INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN version_id      TEXT    NOT NULL DEFAULT 'null';
ALTER TABLE objects ADD COLUMN seq             INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN delete_marker   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN retention_mode  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN retain_until_ns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN legal_hold      INTEGER NOT NULL DEFAULT 0;
CREATE TABLE object_versions (
  bucket             TEXT    NOT NULL,
  key                TEXT    NOT NULL,
  size               INTEGER NOT NULL,
  etag               TEXT    NOT NULL,
  last_modified_ns   INTEGER NOT NULL,
  content_type       TEXT    NOT NULL DEFAULT '',
  headers            BLOB    NOT NULL DEFAULT x'',
  user_metadata      BLOB    NOT NULL DEFAULT x'',
  checksum_algorithm TEXT    NOT NULL DEFAULT '',
  checksum_value     TEXT    NOT NULL DEFAULT '',
  checksum_type      TEXT    NOT NULL DEFAULT '',
  tags               BLOB    NOT NULL DEFAULT x'',
  storage_class      TEXT    NOT NULL DEFAULT '',
  parts_count        INTEGER NOT NULL DEFAULT 0,
  blob_kind          INTEGER NOT NULL,
  blob_id            TEXT    NOT NULL DEFAULT '',
  blob_parts         BLOB    NOT NULL DEFAULT x'',
  inline_id          INTEGER NOT NULL DEFAULT 0,
  version_id         TEXT    NOT NULL,
  seq                INTEGER NOT NULL,
  delete_marker      INTEGER NOT NULL DEFAULT 0,
  retention_mode     INTEGER NOT NULL DEFAULT 0,
  retain_until_ns    INTEGER NOT NULL DEFAULT 0,
  legal_hold         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, key, seq DESC)
) WITHOUT ROWID;
CREATE UNIQUE INDEX object_versions_by_id ON object_versions (bucket, key, version_id);
CREATE TABLE sequences (
  name  TEXT    NOT NULL PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO sequences (name, value) VALUES ('version', 0);
)sql";

// Lifecycle configuration: one column of the bucket row, like CORS, so it goes with the bucket.
constexpr const char kV5[] = R"sql(
ALTER TABLE buckets ADD COLUMN lifecycle_xml TEXT NOT NULL DEFAULT '';
)sql";

// Access control (#13): Object Ownership, ACLs and Block Public Access. public_access_block is a
// bit set (docs/formats/data-dir.md); the ACLs are s3's encoding, opaque to the store.
constexpr const char kV6[] = R"sql(
ALTER TABLE buckets ADD COLUMN object_ownership INTEGER NOT NULL DEFAULT 0;
ALTER TABLE buckets ADD COLUMN acl BLOB NOT NULL DEFAULT x'';
ALTER TABLE buckets ADD COLUMN public_access_block INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN acl BLOB NOT NULL DEFAULT x'';
ALTER TABLE object_versions ADD COLUMN acl BLOB NOT NULL DEFAULT x'';
)sql";

// Server-side encryption (#14): the object version's encryption (mode, KMS key, SSE-C key
// check) and the bucket's default encryption, both s3's encodings, opaque to the store.
constexpr const char kV7[] = R"sql(
ALTER TABLE buckets ADD COLUMN encryption BLOB NOT NULL DEFAULT x'';
ALTER TABLE objects ADD COLUMN encryption BLOB NOT NULL DEFAULT x'';
ALTER TABLE object_versions ADD COLUMN encryption BLOB NOT NULL DEFAULT x'';
)sql";

// Accounts (#15): the account id of the bucket's owner; '' (buckets made before accounts) reads
// as the management account.
constexpr const char kV8[] = R"sql(
ALTER TABLE buckets ADD COLUMN owner_account TEXT NOT NULL DEFAULT '';
)sql";

// End-to-end integrity (#16): the CRC32C of each inline body as stored (the ciphertext when it
// is encrypted), checked when the body is loaded; NULL for bodies stored before (unverified).
constexpr const char kV9[] = R"sql(
ALTER TABLE inline_blobs ADD COLUMN crc32c INTEGER;
)sql";

// Scale-out (#20): the configuration generation (MetadataStore::ConfigGeneration), moved in the
// transaction of every document and bucket-configuration write.
constexpr const char kV10[] = R"sql(
INSERT INTO sequences (name, value) VALUES ('config', 0);
)sql";

// Scale-out (#20): the node registry (store/node_registry.h): each following node's
// confirmed configuration generation and heartbeat, in milliseconds since the Unix epoch on the
// store's clock. A data dir's own node never registers; the table is there for the contract.
constexpr const char kV11[] = R"sql(
CREATE TABLE config_followers (
  node_id TEXT PRIMARY KEY,
  generation INTEGER NOT NULL,
  heartbeat_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// GetAccessKeyLastUsed: each access key's latest verified use (store/key_usage_log.h), in
// milliseconds since the Unix epoch, with the service and region it was signed for. Flushed by
// every node in batches; never part of the configuration generation.
constexpr const char kV12[] = R"sql(
CREATE TABLE key_last_used (
  access_key_id TEXT PRIMARY KEY,
  used_at_ms INTEGER NOT NULL,
  service TEXT NOT NULL,
  region TEXT NOT NULL
) WITHOUT ROWID;
)sql";

constexpr Migration kMigrations[] = {
    {1, kV1},
    {2, kV2},
    {3, kV3},
    {4, kV4},
    {5, kV5},
    {6, kV6},
    {7, kV7},
    {8, kV8},
    {9, kV9},
    {10, kV10},
    {11, kV11},
    {12, kV12},
};

Result<void> Apply(Db& db, const Migration& migration) {
  KURA_TRY(db.Exec("BEGIN IMMEDIATE"));
  Result<void> applied = db.Exec(migration.sql);
  if (applied) {
    std::string bump = "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (" +
                       std::to_string(migration.version) + ")";
    applied = db.Exec(bump.c_str());
  }
  if (!applied) {
    (void)db.Exec("ROLLBACK");
    return applied;
  }
  return db.Exec("COMMIT");
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<int> SchemaVersion(Db& db) {
  KURA_TRY(db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
  auto stmt = db.Prepare("SELECT max(version) FROM schema_version");
  if (!stmt) return stmt.error();
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  return *row ? static_cast<int>((*stmt)->Int(0)) : 0;
}

Result<void> Migrate(Db& db, int target) {
  auto current = SchemaVersion(db);
  if (!current) return current.error();
  if (*current > LatestSchemaVersion()) {
    return MakeError(ErrorCode::kInternalError, "metadata schema version " +
                                                    std::to_string(*current) +
                                                    " is newer than this kura (" +
                                                    std::to_string(LatestSchemaVersion()) + ")");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= *current || migration.version > target) continue;
    KURA_TRY(Apply(db, migration));
  }
  return Ok();
}

}  // namespace kura::store::sqlite
