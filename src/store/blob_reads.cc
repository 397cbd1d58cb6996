#include "store/blob_reads.h"

#include "store/fs/fs_blob_store.h"

namespace kura::store {

Result<std::unique_ptr<BlobReader>> OpenBounded(BlobStore& blobs, const BlobRef& ref) {
  if (auto* fs = dynamic_cast<FsBlobStore*>(&blobs)) return fs->OpenBounded(ref);
  return blobs.Open(ref);
}

void PostRead(BlobStore& blobs, std::function<void()> job) {
  if (auto* fs = dynamic_cast<FsBlobStore*>(&blobs)) return fs->PostRead(std::move(job));
  job();
}

}  // namespace kura::store
