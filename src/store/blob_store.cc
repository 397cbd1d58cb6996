#include "store/blob_store.h"

namespace kura::store {

namespace {
constexpr size_t kScratchBytes = 256 * 1024;
}  // namespace

Result<std::span<char>> BlobWriter::PrepareAppend() {
  if (scratch_.size() != kScratchBytes) scratch_.resize(kScratchBytes);
  return std::span<char>(scratch_);
}

Result<void> BlobWriter::CommitAppend(size_t n) {
  return Append(std::string_view(scratch_).substr(0, n));
}

}  // namespace kura::store
