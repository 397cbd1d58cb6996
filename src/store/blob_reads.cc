#include "store/blob_reads.h"

namespace kura::store {

Result<std::unique_ptr<BlobReader>> OpenBounded(BlobStore& blobs, const BlobRef& ref) {
  if (auto* pooled = dynamic_cast<PooledReads*>(&blobs)) return pooled->OpenBounded(ref);
  return blobs.Open(ref);
}

void PostRead(BlobStore& blobs, std::function<void()> job) {
  if (auto* pooled = dynamic_cast<PooledReads*>(&blobs)) return pooled->PostRead(std::move(job));
  job();
}

}  // namespace kura::store
