// `kura migrate`: moves an embedded installation (a data dir: SQLite metadata, blob files, node
// state files) onto the shared engines (PostgreSQL metadata, Ceph RADOS blobs, node state as
// sealed documents) — the operator's path from one machine to many (docs/scale-out.md, "From
// one machine to many"; issue #20).
//
// How: a table-by-table copy, not an export/import through the MetadataStore interface. The
// PostgreSQL schema is the SQLite schema's tables and columns (store/postgres/pg_schema.cc), so
// each row is read with the SQLite store's row codec and written with the PostgreSQL store's, and
// comes out as it went in: version order (seq), version ids, "null" versions beside real ones,
// delete markers with their own times, Object Lock retention as it was set, every bucket setting
// at once. Replaying history through the interface instead (CreateBucket, PutObject,
// DeleteObject…) would re-decide what was already decided — versioning state per write, default
// retention applied anew, delete markers stamped now, lock checks — and cannot express a
// history such as a "null" version under later real ones without toggling bucket state; and a
// store-level import API would be a third writer of every row to keep in step. The only changes
// to rows: the ids of file blobs, which get new ids in RADOS (BlobCopier), and inline bodies,
// which move to the target's inline table.
//
// Order and safety: the source is only read (its blob files with their checksums verified,
// meta.db on a read-only connection) and its DATA/LOCK is held throughout, so a kura serve on the
// data dir makes migrate refuse, and one cannot start meanwhile. The target must be empty (no
// bucket, object, upload or document in the schema; no object in the RADOS namespace): a
// migration never merges. Every blob is copied and sealed in RADOS before the one PostgreSQL
// transaction holding all rows commits, so a failure leaves the schema empty (the copies are
// removed; any left are orphans the serving nodes' sweep removes after its grace period).
// Secrets stay sealed as they are: IAM secrets under the secrets key (the target must be served
// with the data dir's DATA/secrets.key, which migrate checks), KMS keys and SSE data keys under
// the KMS master key ring (served with the same ring). The node state files are sealed into
// documents with the secrets key (node_state_copy.h).
//
// Verification, after the commit, reads everything back through the target's own stores: each
// bucket's full version listing compared field by field (verification.h), every blob re-read
// from RADOS and compared by length and CRC32C with the source's bytes, every document and the
// node state. Any difference is reported; nothing is rolled back then (the source is intact).
// Thread-safety: Migrate is a blocking call for a command's main thread.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "migrate/row_copy.h"

namespace kura::migrate {

struct MigrationOptions {
  std::filesystem::path data_dir{};
  std::string metadata{};  // postgresql://… (store/open_store.h)
  std::string blobs{};     // rados://…
  std::filesystem::path secrets_key_file{};
};

struct MigrationReport {
  RowCounts rows{};
  uint64_t blobs = 0;       // file blobs copied into RADOS
  uint64_t blob_bytes = 0;  // their stored bytes
  bool root_credentials = false;
  bool token_keys = false;
  int member_accounts = 0;
  std::vector<std::string> mismatches{};  // empty: verified
};

// Copies, commits, verifies. Errors (nothing committed): kInvalidArgument for what the operator
// must change (a location, a key file, a running server, a target holding data), else what
// failed. `progress` gets a line per phase.
Result<MigrationReport> Migrate(const MigrationOptions& options,
                                const std::function<void(std::string_view)>& progress);

}  // namespace kura::migrate
