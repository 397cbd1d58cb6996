#include "store/fs/fs_blob_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "store/blob_readers.h"
#include "store/fs/file_ops.h"
#include "store/fs/staged_file.h"

namespace kura::store {
namespace {

class FsBlobWriter final : public BlobWriter {
 public:
  FsBlobWriter(FsBlobStore& store, Placement placement) : store_(store), placement_(placement) {}
  ~FsBlobWriter() override { Discard(); }

  Result<void> Append(std::string_view bytes) override {
    if (done_) return MakeError(ErrorCode::kInternalError, "append after seal");
    size_ += bytes.size();
    if (file_) return file_->Append(bytes);
    if (buffer_.size() + bytes.size() <= kInlineThreshold) {
      buffer_.append(bytes);
      return Ok();
    }
    // Spill to a temp file as soon as the blob cannot be inline.
    KURA_TRY(OpenTemp());
    return file_->Append(bytes);
  }

  // Once the blob is a file, bytes are received straight into its staging buffer.
  Result<std::span<char>> PrepareAppend() override {
    prepared_in_file_ = file_ != nullptr && !done_;
    if (prepared_in_file_) return file_->Space();
    return BlobWriter::PrepareAppend();
  }

  Result<void> CommitAppend(size_t n) override {
    if (!prepared_in_file_) return BlobWriter::CommitAppend(n);
    prepared_in_file_ = false;
    size_ += n;
    return file_->Commit(n);
  }

  Result<BlobRef> Seal() override {
    if (done_) return MakeError(ErrorCode::kInternalError, "sealed twice");
    done_ = true;
    BlobRef ref;
    ref.size = size_;
    if (!file_ && size_ <= kInlineThreshold && placement_ == Placement::kInlineIfSmall) {
      ref.inline_data = std::move(buffer_);
      return ref;
    }
    if (!file_) KURA_TRY(OpenTemp());
    KURA_TRY(file_->Finish());
    file_.reset();
    KURA_TRY(FsyncFd(fd_, temp_path_));
    ::close(fd_);
    fd_ = -1;
    std::filesystem::path final_path = store_.BlobPath(id_);
    KURA_TRY(EnsureDir(final_path.parent_path().parent_path()));
    KURA_TRY(EnsureDir(final_path.parent_path()));
    if (::rename(temp_path_.c_str(), final_path.c_str()) != 0) {
      return ErrnoError("rename", temp_path_, errno);
    }
    temp_path_.clear();
    KURA_TRY(FsyncDir(final_path.parent_path()));
    ref.kind = BlobRef::Kind::kFile;
    ref.id = id_;
    return ref;
  }

  uint64_t size() const override { return size_; }

 private:
  // Creates the temp file (O_DIRECT where the filesystem allows it) and moves the bytes
  // buffered so far into it.
  Result<void> OpenTemp() {
    id_ = store_.NewBlobId();
    temp_path_ = store_.TempPath(id_);
    fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) return ErrnoError("create", temp_path_, errno);
    bool direct = ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_DIRECT) == 0;
    file_ = std::make_unique<StagedFile>(store_.write_pool(), fd_, direct, temp_path_);
    Result<void> moved = file_->Append(buffer_);
    buffer_.clear();
    buffer_.shrink_to_fit();
    return moved;
  }

  void Discard() {
    file_.reset();  // waits for its writes before the descriptor goes
    if (fd_ >= 0) ::close(fd_);
    if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
  }

  FsBlobStore& store_;
  Placement placement_;
  std::string buffer_;  // until the blob spills to a file
  uint64_t size_ = 0;
  int fd_ = -1;
  std::unique_ptr<StagedFile> file_;
  bool prepared_in_file_ = false;  // the last PrepareAppend handed out file_'s buffer
  std::string id_;
  std::filesystem::path temp_path_;
  bool done_ = false;
};

Result<int> OpenForRead(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) return fd;
  if (errno == ENOENT) return MakeError(ErrorCode::kNoSuchKey, "blob is gone");
  return ErrnoError("open", path, errno);
}

Result<size_t> PreadSome(int fd, uint64_t offset, std::span<char> out) {
  while (true) {
    ssize_t n = ::pread(fd, out.data(), out.size(), static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return ErrnoError("pread", "blob", errno);
  }
}

class FileReader final : public BlobReader {
 public:
  FileReader(int fd, uint64_t size) : fd_(fd), size_(size) {}
  ~FileReader() override { ::close(fd_); }
  uint64_t size() const override { return size_; }
  int fd() const override { return fd_; }
  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    if (offset >= size_) return size_t{0};
    if (out.size() > size_ - offset) out = out.first(size_ - offset);
    return PreadSome(fd_, offset, out);
  }

 private:
  int fd_;
  uint64_t size_;
};

Result<std::unique_ptr<FileReader>> OpenFile(const FsBlobStore& store, const std::string& id,
                                             uint64_t size) {
  auto fd = OpenForRead(store.BlobPath(id));
  if (!fd) return fd.error();
  return std::make_unique<FileReader>(*fd, size);
}

}  // namespace

std::unique_ptr<BlobWriter> NewFsBlobWriter(FsBlobStore& store, Placement placement) {
  return std::make_unique<FsBlobWriter>(store, placement);
}

Result<std::unique_ptr<BlobReader>> OpenFsBlob(const FsBlobStore& store, const BlobRef& ref) {
  switch (ref.kind) {
    case BlobRef::Kind::kInline:
      return std::unique_ptr<BlobReader>(std::make_unique<BytesReader>(ref.inline_data));
    case BlobRef::Kind::kFile: {
      auto file = OpenFile(store, ref.id, ref.size);
      if (!file) return file.error();
      return std::unique_ptr<BlobReader>(std::move(file).value());
    }
    case BlobRef::Kind::kParts: {
      std::vector<std::unique_ptr<BlobReader>> parts;
      for (const auto& part : ref.parts) {
        auto file = OpenFile(store, part.id, part.size);
        if (!file) return file.error();
        parts.push_back(std::move(file).value());
      }
      return std::unique_ptr<BlobReader>(std::make_unique<ConcatenatedReader>(std::move(parts)));
    }
  }
  return MakeError(ErrorCode::kInternalError, "unknown blob kind");
}

}  // namespace kura::store
