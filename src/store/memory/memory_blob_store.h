// An in-memory BlobStore for tests and for running kura without a disk. Blobs larger than
// kInlineThreshold (or kAlwaysFile ones) get a random id and live in a map; nothing is durable.
// Thread-safety: thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/random.h"
#include "store/blob_store.h"

namespace kura::store {

class MemoryBlobStore final : public BlobStore {
 public:
  MemoryBlobStore();
  std::unique_ptr<BlobWriter> NewWriterFor(Placement placement) override;
  Result<std::unique_ptr<BlobReader>> Open(const BlobRef& ref) override;
  void Delete(const BlobRef& ref) override;

  size_t file_count() const;  // blobs held (not inline), for tests

  // Internal: what a writer calls on Seal.
  std::string Store(std::string bytes);

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const std::string>> blobs_;  // guarded by mu_
  SecureRandom random_;
};

}  // namespace kura::store
