#include "store/store.h"

#include "store/fs/fs_blob_store.h"
#include "store/memory/memory_blob_store.h"
#include "store/memory/memory_metadata_store.h"

namespace kura::store {

Result<Store> OpenDataDir(const std::filesystem::path& data_dir, sqlite::SqliteOptions options,
                          OpenStats* stats) {
  auto blobs = FsBlobStore::Open(data_dir);
  if (!blobs) return blobs.error();
  auto metadata = sqlite::SqliteMetadataStore::Open(data_dir / "meta.db", std::move(options));
  if (!metadata) return metadata.error();
  auto temp_files = (*blobs)->RemoveTempFiles();
  if (!temp_files) return temp_files.error();
  if (stats) stats->temp_files_removed = *temp_files;
  return Store{std::move(blobs).value(), std::move(metadata).value()};
}

Result<int> RemoveOrphanBlobs(Store& store) {
  // The references are read after the store opened, so every blob they miss is either an
  // orphan or one written since open, which the blob store spares.
  auto referenced = store.metadata->ReferencedBlobIds();
  if (!referenced) return referenced.error();
  return store.blobs->RemoveUnreferenced([&](const std::string& id) { return referenced->contains(id); });
}

Store NewMemoryStore() {
  return Store{std::make_unique<MemoryBlobStore>(), std::make_unique<MemoryMetadataStore>()};
}

}  // namespace kura::store
