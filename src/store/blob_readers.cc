#include "store/blob_readers.h"

#include <algorithm>
#include <cstring>

namespace kura::store {

Result<size_t> BytesReader::ReadAt(uint64_t offset, std::span<char> out) {
  if (offset >= bytes_.size()) return size_t{0};
  size_t n = std::min<uint64_t>(out.size(), bytes_.size() - offset);
  std::memcpy(out.data(), bytes_.data() + offset, n);
  return n;
}

ConcatenatedReader::ConcatenatedReader(std::vector<std::unique_ptr<BlobReader>> parts)
    : parts_(std::move(parts)) {
  for (const auto& part : parts_) size_ += part->size();
}

Result<size_t> ConcatenatedReader::ReadAt(uint64_t offset, std::span<char> out) {
  for (const auto& part : parts_) {
    if (offset < part->size()) return part->ReadAt(offset, out);
    offset -= part->size();
  }
  return size_t{0};
}

}  // namespace kura::store
