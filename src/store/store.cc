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
  auto referenced = (*metadata)->ReferencedBlobIds();
  if (!referenced) return referenced.error();
  auto swept =
      (*blobs)->SweepOrphans([&](const std::string& id) { return referenced->contains(id); });
  if (!swept) return swept.error();
  if (stats) *stats = {swept->temp_files_removed, swept->orphan_blobs_removed};
  return Store{std::move(blobs).value(), std::move(metadata).value()};
}

Store NewMemoryStore() {
  return Store{std::make_unique<MemoryBlobStore>(), std::make_unique<MemoryMetadataStore>()};
}

}  // namespace kura::store
