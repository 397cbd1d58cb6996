// BlobReaders that any store or layer above it can build on: one over bytes in memory (an inline
// blob, or a test's), and one that reads several readers end to end as one blob (the parts of a
// completed multipart upload, plain or decrypted).
// Thread-safety: as BlobReader — one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/blob_store.h"

namespace kura::store {

class BytesReader final : public BlobReader {
 public:
  explicit BytesReader(std::string bytes) : bytes_(std::move(bytes)) {}
  uint64_t size() const override { return bytes_.size(); }
  int fd() const override { return -1; }
  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override;

 private:
  std::string bytes_;
};

// Every reader is opened by the caller up front, so that a read never meets a part deleted
// under it by a concurrent overwrite (open files outlive their unlink).
class ConcatenatedReader final : public BlobReader {
 public:
  explicit ConcatenatedReader(std::vector<std::unique_ptr<BlobReader>> parts);
  uint64_t size() const override { return size_; }
  int fd() const override { return -1; }
  // Reads from the one part holding `offset` (a short read at a part's end, as pread may be).
  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override;

 private:
  std::vector<std::unique_ptr<BlobReader>> parts_;
  uint64_t size_ = 0;
};

}  // namespace kura::store
