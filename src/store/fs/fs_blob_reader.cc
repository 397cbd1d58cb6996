#include "store/fs/fs_blob_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "store/blob_readers.h"
#include "store/fs/block_checksums.h"
#include "store/read_integrity.h"

namespace kura::store {
namespace {

// Reads exactly out.size() bytes at `offset`: a file shorter than that was cut under the reader.
Result<void> PreadExactly(int fd, const std::string& id, uint64_t offset, std::span<char> out) {
  while (!out.empty()) {
    ssize_t n = ::pread(fd, out.data(), out.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ReadFailure(id, std::string("pread: ") + std::strerror(errno));
    if (n == 0) return ReadFailure(id, "short read: the file ends early");
    out = out.subspan(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return Ok();
}

// What Open() learnt about a file: its data size and, when verified, the CRC table.
struct Layout {
  uint64_t data_size = 0;
  bool verified = false;
  std::vector<uint32_t> table;
};

Layout Unverified(uint64_t data_size) {
  Layout layout;
  layout.data_size = data_size;
  return layout;
}

// Reads the footer, if the file has one that fits the size the metadata gives.
Result<Layout> ReadLayout(int fd, const std::string& id, uint64_t file_size, uint64_t size,
                          SizeIs size_is) {
  if (size_is == SizeIs::kExact && file_size == size) return Unverified(size);
  bool has_footer = false;
  Trailer trailer;
  if (file_size >= kTrailerBytes) {
    std::string raw(kTrailerBytes, '\0');
    KURA_TRY(PreadExactly(fd, id, file_size - kTrailerBytes, raw));
    auto parsed = ParseTrailer(raw);
    if (parsed) {
      trailer = *parsed;
      has_footer = trailer.data_size <= file_size &&
                   file_size - trailer.data_size == FooterBytes(trailer.data_size) &&
                   (size_is == SizeIs::kExact ? trailer.data_size == size : trailer.data_size <= size);
    }
  }
  if (!has_footer) {
    // An encrypted blob written before checksums: its segments' GCM tags still authenticate it.
    if (size_is == SizeIs::kBound && file_size <= size) return Unverified(file_size);
    return CorruptRead(id, "file size " + std::to_string(file_size) +
                               " fits neither the legacy nor the checksummed layout");
  }
  std::string table(4 * BlockCount(trailer.data_size), '\0');
  KURA_TRY(PreadExactly(fd, id, trailer.data_size, table));
  auto crcs = ParseTable(table, trailer);
  if (!crcs) return CorruptRead(id, crcs.error().message);
  return Layout{.data_size = trailer.data_size, .verified = true, .table = std::move(*crcs)};
}

class FileReader final : public BlobReader {
 public:
  FileReader(int fd, std::string id, Layout layout)
      : fd_(fd), id_(std::move(id)), layout_(std::move(layout)) {}
  ~FileReader() override { ::close(fd_); }
  uint64_t size() const override { return layout_.data_size; }
  int fd() const override { return layout_.verified ? -1 : fd_; }

  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    uint64_t size = layout_.data_size;
    if (offset >= size || out.empty()) return size_t{0};
    if (out.size() > size - offset) out = out.first(size - offset);
    if (!layout_.verified) {
      KURA_TRY(PreadExactly(fd_, id_, offset, out));
      return out.size();
    }
    uint64_t in_block = offset % kBlockBytes;
    bool reaches_end = offset + out.size() == size;
    if (in_block == 0 && (out.size() >= kBlockBytes || reaches_end)) {
      return ReadWholeBlocks(offset, out, reaches_end);
    }
    return ReadThroughScratch(offset, out);
  }

 private:
  // `offset` starts a block: reads whole blocks straight into `out` and checks them.
  Result<size_t> ReadWholeBlocks(uint64_t offset, std::span<char> out, bool reaches_end) {
    size_t n = reaches_end ? out.size() : out.size() - out.size() % kBlockBytes;
    out = out.first(n);
    KURA_TRY(PreadExactly(fd_, id_, offset, out));
    auto checked = VerifyBlocks(layout_.table, offset / kBlockBytes,
                                std::string_view(out.data(), out.size()));
    if (!checked) return CorruptRead(id_, checked.error().message);
    return n;
  }

  // A read inside one block: the block is read and checked once into `scratch_` (kept, so the
  // next read of the same block costs no I/O), and the bytes asked for are copied out.
  Result<size_t> ReadThroughScratch(uint64_t offset, std::span<char> out) {
    uint64_t block = offset / kBlockBytes;
    if (scratch_block_ != block) {
      uint64_t start = block * kBlockBytes;
      scratch_.resize(std::min(kBlockBytes, layout_.data_size - start));
      scratch_block_ = kNoBlock;
      KURA_TRY(PreadExactly(fd_, id_, start, scratch_));
      auto checked = VerifyBlocks(layout_.table, block, std::string_view(scratch_.data(), scratch_.size()));
      if (!checked) return CorruptRead(id_, checked.error().message);
      scratch_block_ = block;
    }
    uint64_t in_block = offset - block * kBlockBytes;
    size_t n = std::min<uint64_t>(out.size(), scratch_.size() - in_block);
    std::memcpy(out.data(), scratch_.data() + in_block, n);
    return n;
  }

  static constexpr uint64_t kNoBlock = ~uint64_t{0};
  int fd_;
  std::string id_;
  Layout layout_;
  std::vector<char> scratch_;
  uint64_t scratch_block_ = kNoBlock;
};

Result<std::unique_ptr<FileReader>> OpenFile(const FsBlobStore& store, const std::string& id,
                                             uint64_t size, SizeIs size_is) {
  int fd = ::open(store.BlobPath(id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return MakeError(ErrorCode::kNoSuchKey, "blob is gone");
  if (fd < 0) return ReadFailure(id, std::string("open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ReadFailure(id, std::string("fstat: ") + std::strerror(err));
  }
  auto layout = ReadLayout(fd, id, static_cast<uint64_t>(st.st_size), size, size_is);
  if (!layout) {
    ::close(fd);
    return layout.error();
  }
  if (!layout->verified) CountUnverifiedRead();
  return std::make_unique<FileReader>(fd, id, std::move(*layout));
}

}  // namespace

Result<std::unique_ptr<BlobReader>> OpenFsBlob(const FsBlobStore& store, const BlobRef& ref,
                                               SizeIs size_is) {
  switch (ref.kind) {
    case BlobRef::Kind::kInline:
      return std::unique_ptr<BlobReader>(std::make_unique<BytesReader>(ref.inline_data));
    case BlobRef::Kind::kFile: {
      auto file = OpenFile(store, ref.id, ref.size, size_is);
      if (!file) return file.error();
      return std::unique_ptr<BlobReader>(std::move(file).value());
    }
    case BlobRef::Kind::kParts: {
      std::vector<std::unique_ptr<BlobReader>> parts;
      for (const auto& part : ref.parts) {
        auto file = OpenFile(store, part.id, part.size, size_is);
        if (!file) return file.error();
        parts.push_back(std::move(file).value());
      }
      return std::unique_ptr<BlobReader>(std::make_unique<ConcatenatedReader>(std::move(parts)));
    }
  }
  return MakeError(ErrorCode::kInternalError, "unknown blob kind");
}

}  // namespace kura::store
