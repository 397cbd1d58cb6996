#include "store/rados/rados_blob_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "store/blob_readers.h"
#include "store/fs/block_checksums.h"
#include "store/rados/rados_io.h"
#include "store/rados/rados_layout.h"
#include "store/read_integrity.h"

namespace kura::store::rados {
namespace {

// A read the cluster cannot serve now (timed out, not connected) is 503, like any other RADOS
// operation; any other failure is an integrity event (store/read_integrity.h).
Error StripeReadFailed(const std::string& name, const char* what, int rc) {
  Error error = RadosError(what, name, rc);
  if (error.code == ErrorCode::kServiceUnavailable) return error;
  return ReadFailure(name, std::string(what) + ": " + std::strerror(-rc));
}

class StripedReader final : public BlobReader {
 public:
  StripedReader(rados_ioctx_t io, std::string id, uint64_t size)
      : io_(io), id_(std::move(id)), size_(size) {}
  uint64_t size() const override { return size_; }
  int fd() const override { return -1; }

  // Reads across stripes until `out` is full or the blob ends.
  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    if (offset >= size_ || out.empty()) return size_t{0};
    out = out.first(std::min<uint64_t>(out.size(), size_ - offset));
    size_t done = 0;
    while (done < out.size()) {
      auto n = ReadInStripe(offset + done, out.subspan(done));
      if (!n) return n.error();
      done += *n;
    }
    return done;
  }

  // Takes stripe `index`'s checksum footer (its "kura.crc") as the current table.
  Result<void> SetTable(uint64_t index, std::string_view footer) {
    auto table = ParseFooter(footer, StripeLength(size_, index));
    if (!table) return CorruptRead(StripeName(id_, index), table.error().message);
    table_ = std::move(*table);
    table_stripe_ = index;
    return Ok();
  }

 private:
  Result<void> LoadTable(uint64_t index) {
    if (table_stripe_ == index) return Ok();
    std::string footer(FooterBytes(StripeLength(size_, index)), '\0');
    std::string name = StripeName(id_, index);
    int rc = rados_getxattr(io_, name.c_str(), kCrcXattr, footer.data(), footer.size());
    if (rc == -ENOENT) return Gone(name);
    if (rc == -ENODATA || rc == -ERANGE) return CorruptRead(name, "no checksum xattr of its size");
    if (rc < 0) return StripeReadFailed(name, "getxattr", rc);
    footer.resize(static_cast<size_t>(rc));
    return SetTable(index, footer);
  }

  Error Gone(const std::string& name) {
    return ReadFailure(name, "the stripe is gone: the blob was deleted while being read");
  }

  // Reads from the one stripe holding `offset`: the whole blocks covering the bytes asked for,
  // straight into `out` when they coincide, else through scratch_.
  Result<size_t> ReadInStripe(uint64_t offset, std::span<char> out) {
    uint64_t index = offset / kStripeBytes;
    uint64_t length = StripeLength(size_, index);
    uint64_t in_stripe = offset - index * kStripeBytes;
    size_t n = std::min<uint64_t>(out.size(), length - in_stripe);
    KURA_TRY(LoadTable(index));
    uint64_t first_block = in_stripe / kBlockBytes;
    uint64_t start = first_block * kBlockBytes;
    uint64_t end = std::min(length, (in_stripe + n + kBlockBytes - 1) / kBlockBytes * kBlockBytes);
    bool direct = start == in_stripe && end == in_stripe + n;
    if (!direct) scratch_.resize(end - start);
    std::span<char> bytes = direct ? out.first(n) : std::span<char>(scratch_);
    KURA_TRY(ReadVerified(index, start, first_block, bytes));
    if (!direct) std::memcpy(out.data(), scratch_.data() + (in_stripe - start), n);
    return n;
  }

  // Reads exactly bytes.size() bytes of stripe `index` at `start` and checks their blocks.
  Result<void> ReadVerified(uint64_t index, uint64_t start, uint64_t first_block,
                            std::span<char> bytes) {
    std::string name = StripeName(id_, index);
    int rc = rados_read(io_, name.c_str(), bytes.data(), bytes.size(), start);
    if (rc == -ENOENT) return Gone(name);
    if (rc < 0) return StripeReadFailed(name, "read", rc);
    if (static_cast<size_t>(rc) != bytes.size()) {
      return CorruptRead(name, "the stripe is shorter than its checksums say");
    }
    auto checked = VerifyBlocks(table_, first_block, std::string_view(bytes.data(), bytes.size()));
    if (!checked) return CorruptRead(name, checked.error().message);
    return Ok();
  }

  static constexpr uint64_t kNoStripe = ~uint64_t{0};
  rados_ioctx_t io_;
  std::string id_;
  uint64_t size_;
  std::vector<uint32_t> table_;  // of stripe table_stripe_
  uint64_t table_stripe_ = kNoStripe;
  std::vector<char> scratch_;
};

// Stripe 0's xattrs: its checksum footer and the blob's stored length.
struct FirstStripe {
  std::string crc_footer;
  std::string stored_size;
};

Result<FirstStripe> ReadFirstStripe(rados_ioctx_t io, const std::string& name) {
  rados_xattrs_iter_t iter = nullptr;
  int rc = rados_getxattrs(io, name.c_str(), &iter);
  if (rc == -ENOENT) return MakeError(ErrorCode::kNoSuchKey, "blob is gone");
  if (rc < 0) return StripeReadFailed(name, "getxattrs", rc);
  FirstStripe first;
  const char* key = nullptr;
  const char* value = nullptr;
  size_t length = 0;
  while (rados_getxattrs_next(iter, &key, &value, &length) == 0 && key != nullptr) {
    std::string_view name_of(key);
    if (name_of == kCrcXattr) first.crc_footer.assign(value, length);
    if (name_of == kSizeXattr) first.stored_size.assign(value, length);
  }
  rados_getxattrs_end(iter);
  return first;
}

// Opens blob `id` given the metadata's size: the stored length, exactly, or (`bounded`, an
// encrypted blob's ciphertext) at most.
Result<std::unique_ptr<StripedReader>> OpenStriped(rados_ioctx_t io, const std::string& id,
                                                   uint64_t size, bool bounded) {
  std::string name = StripeName(id, 0);
  auto first = ReadFirstStripe(io, name);
  if (!first) return first.error();
  auto stored = ParseStoredSize(first->stored_size);
  if (!stored) return CorruptRead(name, "no valid kura.size: the blob was never sealed");
  if (bounded ? *stored > size : *stored != size) {
    return CorruptRead(name, "stores " + std::to_string(*stored) + " bytes, the metadata says " +
                                 std::to_string(size));
  }
  auto reader = std::make_unique<StripedReader>(io, id, *stored);
  KURA_TRY(reader->SetTable(0, first->crc_footer));
  return reader;
}

}  // namespace

Result<std::unique_ptr<BlobReader>> OpenRadosBlob(rados_ioctx_t io, const BlobRef& ref,
                                                  bool bounded) {
  switch (ref.kind) {
    case BlobRef::Kind::kInline:
      return std::unique_ptr<BlobReader>(std::make_unique<BytesReader>(ref.inline_data));
    case BlobRef::Kind::kFile: {
      auto reader = OpenStriped(io, ref.id, ref.size, bounded);
      if (!reader) return reader.error();
      return std::unique_ptr<BlobReader>(std::move(reader).value());
    }
    case BlobRef::Kind::kParts: {
      std::vector<std::unique_ptr<BlobReader>> parts;
      for (const auto& part : ref.parts) {
        auto reader = OpenStriped(io, part.id, part.size, bounded);
        if (!reader) return reader.error();
        parts.push_back(std::move(reader).value());
      }
      return std::unique_ptr<BlobReader>(std::make_unique<ConcatenatedReader>(std::move(parts)));
    }
  }
  return MakeError(ErrorCode::kInternalError, "unknown blob kind");
}

Result<uint64_t> StoredSize(rados_ioctx_t io, const std::string& id) {
  std::string name = StripeName(id, 0);
  std::string text(24, '\0');
  int rc = rados_getxattr(io, name.c_str(), kSizeXattr, text.data(), text.size());
  if (rc < 0) return RadosError("getxattr kura.size of", name, rc);
  text.resize(static_cast<size_t>(rc));
  auto size = ParseStoredSize(text);
  if (!size) return MakeError(ErrorCode::kCorruptData, name + " has a malformed kura.size");
  return *size;
}

}  // namespace kura::store::rados
