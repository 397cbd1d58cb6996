#include "store/fs/fs_blob_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "store/fs/block_checksums.h"
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
    if (!file_ && buffer_.size() + bytes.size() <= kInlineThreshold) {
      buffer_.append(bytes);
      return Ok();
    }
    // Spill to a temp file as soon as the blob cannot be inline.
    if (!file_) KURA_TRY(OpenTemp());
    crcs_.Update(bytes);
    return file_->Append(bytes);
  }

  // Once the blob is a file, bytes are received straight into its staging buffer.
  Result<std::span<char>> PrepareAppend() override {
    prepared_in_file_ = file_ != nullptr && !done_;
    if (!prepared_in_file_) return BlobWriter::PrepareAppend();
    auto space = file_->Space();
    if (space) prepared_ = *space;
    return space;
  }

  Result<void> CommitAppend(size_t n) override {
    if (!prepared_in_file_) return BlobWriter::CommitAppend(n);
    prepared_in_file_ = false;
    size_ += n;
    crcs_.Update(std::string_view(prepared_.data(), std::min(n, prepared_.size())));
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
    // The checksum footer goes after the data, through the same staging (block_checksums.h).
    KURA_TRY(file_->Append(crcs_.Footer()));
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
    crcs_.Update(buffer_);
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
  std::span<char> prepared_;       // that buffer, whose committed bytes are checksummed
  BlockCrcAccumulator crcs_;       // of the bytes in the file, block by block
  std::string id_;
  std::filesystem::path temp_path_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<BlobWriter> NewFsBlobWriter(FsBlobStore& store, Placement placement) {
  return std::make_unique<FsBlobWriter>(store, placement);
}

}  // namespace kura::store
