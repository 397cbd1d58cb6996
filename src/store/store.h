// Opening kura's storage: the metadata store and the blob store together, because start-up
// must sweep blobs that no metadata references (left by a crash between Seal and commit).
//   OpenDataDir(dir): SQLite + filesystem store in `dir` (see docs/formats/data-dir.md).
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
  int orphan_blobs_removed = 0;
};

// Creates `data_dir` (0700) and its layout if needed, opens and migrates <data_dir>/meta.db,
// and sweeps orphans: every temp file, every blob file the metadata does not reference.
Result<Store> OpenDataDir(const std::filesystem::path& data_dir, sqlite::SqliteOptions options = {},
                          OpenStats* stats = nullptr);

Store NewMemoryStore();

}  // namespace kura::store
