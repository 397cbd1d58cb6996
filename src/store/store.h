// Opening kura's storage: the metadata store and the blob store together, because a crash
// between Seal and commit leaves blobs that no metadata references.
//   OpenDataDir(dir): SQLite + filesystem store in `dir` (see docs/formats/data-dir.md).
//   RemoveOrphanBlobs(store): the sweep of those blobs, run in the background once serving.
//   NewMemoryStore(): in-memory fakes, for tests.
// Thread-safety: both stores are thread-safe. Destroy `metadata` before `blobs` (the struct's
// member order does so) so that queued writes finish first.
#pragma once

#include <filesystem>
#include <memory>

#include "common/error.h"
#include "store/blob_store.h"
#include "store/metadata_store.h"
#include "store/sqlite/sqlite_metadata_store.h"

namespace kura::store {

struct Store {
  std::unique_ptr<BlobStore> blobs;
  std::unique_ptr<MetadataStore> metadata;
};

struct OpenStats {
  int temp_files_removed = 0;
};

// Creates `data_dir` (0700) and its layout if needed, opens and migrates <data_dir>/meta.db,
// and removes the temp files of writes a crash cut short. Cheap whatever the store holds.
Result<Store> OpenDataDir(const std::filesystem::path& data_dir, sqlite::SqliteOptions options = {},
                          OpenStats* stats = nullptr);

// Removes every blob file no object or upload references, except the blobs written since the
// store opened; returns how many. Costs a walk over all blobs and a read of every reference,
// so it runs while serving (safe alongside any request). Call it once per open: until then the
// store remembers the id of each blob it writes (tens of bytes each) to spare them.
Result<int> RemoveOrphanBlobs(Store& store);

Store NewMemoryStore();

}  // namespace kura::store
