#include "store/fs/staged_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "store/fs/file_ops.h"

namespace kura::store {

StagedFile::StagedFile(WritePool& pool, int fd, bool direct, std::filesystem::path path)
    : pool_(pool), fd_(fd), direct_(direct), path_(std::move(path)) {}

StagedFile::~StagedFile() {
  for (Slot& slot : slots_) {
    (void)WaitIdle(slot);
    pool_.ReturnBuffer(std::move(slot.buffer));
  }
}

Result<void> StagedFile::Append(std::string_view bytes) {
  while (!bytes.empty()) {
    auto space = Space();
    if (!space) return space.error();
    size_t n = std::min(bytes.size(), space->size());
    std::memcpy(space->data(), bytes.data(), n);
    bytes.remove_prefix(n);
    KURA_TRY(Commit(n));
  }
  std::lock_guard lock(mu_);
  if (error_) return *error_;
  return Ok();
}

Result<std::span<char>> StagedFile::Space() {
  Slot& slot = slots_[current_];
  if (!slot.buffer) {
    slot.buffer = pool_.TakeBuffer();
    if (!slot.buffer)
      return MakeError(ErrorCode::kInternalError, "out of memory for a write buffer");
  }
  return std::span<char>(slot.buffer.get() + slot.used, WritePool::kBufferBytes - slot.used);
}

Result<void> StagedFile::Commit(size_t n) {
  Slot& slot = slots_[current_];
  slot.used += n;
  if (slot.used < WritePool::kBufferBytes) return Ok();
  Submit(slot, offset_);
  offset_ += WritePool::kBufferBytes;
  current_ ^= 1;
  return WaitIdle(slots_[current_]);  // the disk is two buffers behind: wait for it
}

Result<void> StagedFile::Finish() {
  KURA_TRY(WaitIdle(slots_[current_ ^ 1]));
  Slot& slot = slots_[current_];
  KURA_TRY(WaitIdle(slot));
  if (slot.used == 0) return Ok();
  // O_DIRECT wants block-aligned lengths: the aligned head directly, the last partial block
  // through the page cache (fsync writes it back with the rest).
  size_t aligned = direct_ ? slot.used & ~(WritePool::kAlignment - 1) : slot.used;
  if (aligned > 0) KURA_TRY(WriteAt(slot.buffer.get(), aligned, offset_));
  if (aligned < slot.used) {
    if (direct_ && ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_DIRECT) != 0) {
      return ErrnoError("fcntl", path_, errno);
    }
    KURA_TRY(WriteAt(slot.buffer.get() + aligned, slot.used - aligned, offset_ + aligned));
  }
  offset_ += slot.used;
  slot.used = 0;
  return Ok();
}

void StagedFile::Submit(Slot& slot, uint64_t offset) {
  {
    std::lock_guard lock(mu_);
    slot.in_flight = true;
  }
  pool_.Post([this, &slot, offset] {
    Result<void> written = WriteAt(slot.buffer.get(), slot.used, offset);
    std::lock_guard lock(mu_);
    if (!written && !error_) error_ = written.error();
    slot.used = 0;
    slot.in_flight = false;
    idle_.notify_all();
  });
}

Result<void> StagedFile::WaitIdle(Slot& slot) {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&slot] { return !slot.in_flight; });
  if (error_) return *error_;
  return Ok();
}

Result<void> StagedFile::WriteAt(const char* data, size_t size, uint64_t offset) {
  while (size > 0) {
    ssize_t n = ::pwrite(fd_, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EINVAL && (::fcntl(fd_, F_GETFL) & O_DIRECT) != 0) {
      // The filesystem wants a larger alignment than ours: carry on through the page cache.
      if (::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_DIRECT) != 0) {
        return ErrnoError("fcntl", path_, errno);
      }
      continue;
    }
    if (n < 0) return ErrnoError("write", path_, errno);
    data += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return Ok();
}

}  // namespace kura::store
