#include "store/memory/memory_blob_store.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "common/encoding.h"

namespace kura::store {
namespace {

class MemoryWriter final : public BlobWriter {
 public:
  MemoryWriter(MemoryBlobStore& store, Placement placement)
      : store_(store), placement_(placement) {}

  Result<void> Append(std::string_view bytes) override {
    if (sealed_) return MakeError(ErrorCode::kInternalError, "append after seal");
    bytes_.append(bytes);
    return Ok();
  }

  Result<BlobRef> Seal() override {
    if (sealed_) return MakeError(ErrorCode::kInternalError, "sealed twice");
    sealed_ = true;
    BlobRef ref;
    ref.size = bytes_.size();
    if (placement_ == Placement::kInlineIfSmall && bytes_.size() <= kInlineThreshold) {
      ref.kind = BlobRef::Kind::kInline;
      ref.inline_data = std::move(bytes_);
      return ref;
    }
    ref.kind = BlobRef::Kind::kFile;
    ref.id = store_.Store(std::move(bytes_));
    return ref;
  }

  uint64_t size() const override { return bytes_.size(); }

 private:
  MemoryBlobStore& store_;
  Placement placement_;
  std::string bytes_;
  bool sealed_ = false;
};

// Reads a sequence of byte strings as one.
class MemoryReader final : public BlobReader {
 public:
  explicit MemoryReader(std::vector<std::shared_ptr<const std::string>> pieces)
      : pieces_(std::move(pieces)) {
    for (const auto& piece : pieces_) size_ += piece->size();
  }
  uint64_t size() const override { return size_; }
  int fd() const override { return -1; }
  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    size_t copied = 0;
    for (const auto& piece : pieces_) {
      if (copied == out.size()) break;
      if (offset >= piece->size()) {
        offset -= piece->size();
        continue;
      }
      size_t n = std::min<uint64_t>(piece->size() - offset, out.size() - copied);
      std::memcpy(out.data() + copied, piece->data() + offset, n);
      copied += n;
      offset = 0;
    }
    return copied;
  }

 private:
  std::vector<std::shared_ptr<const std::string>> pieces_;
  uint64_t size_ = 0;
};

}  // namespace

MemoryBlobStore::MemoryBlobStore() = default;

std::unique_ptr<BlobWriter> MemoryBlobStore::NewWriterFor(Placement placement) {
  return std::make_unique<MemoryWriter>(*this, placement);
}

std::string MemoryBlobStore::Store(std::string bytes) {
  std::vector<uint8_t> raw(16);
  std::lock_guard lock(mu_);
  random_.Fill(raw);
  std::string id = HexLower(raw);
  blobs_[id] = std::make_shared<const std::string>(std::move(bytes));
  return id;
}

Result<std::unique_ptr<BlobReader>> MemoryBlobStore::Open(const BlobRef& ref) {
  std::vector<std::shared_ptr<const std::string>> pieces;
  if (ref.kind == BlobRef::Kind::kInline) {
    pieces.push_back(std::make_shared<const std::string>(ref.inline_data));
    return std::unique_ptr<BlobReader>(std::make_unique<MemoryReader>(std::move(pieces)));
  }
  std::vector<std::string> ids;
  if (ref.kind == BlobRef::Kind::kFile) ids.push_back(ref.id);
  for (const auto& part : ref.parts) ids.push_back(part.id);
  std::lock_guard lock(mu_);
  for (const auto& id : ids) {
    auto it = blobs_.find(id);
    if (it == blobs_.end()) return MakeError(ErrorCode::kNoSuchKey, "blob is gone");
    pieces.push_back(it->second);
  }
  return std::unique_ptr<BlobReader>(std::make_unique<MemoryReader>(std::move(pieces)));
}

void MemoryBlobStore::Delete(const BlobRef& ref) {
  std::lock_guard lock(mu_);
  if (ref.kind == BlobRef::Kind::kFile) blobs_.erase(ref.id);
  for (const auto& part : ref.parts) blobs_.erase(part.id);
}

size_t MemoryBlobStore::file_count() const {
  std::lock_guard lock(mu_);
  return blobs_.size();
}

}  // namespace kura::store
