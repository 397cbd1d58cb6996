// Appends a blob's bytes to a file in large writes that run in the background. Bytes are copied
// into a page-aligned staging buffer (WritePool::kBufferBytes); each full buffer is written by a
// WritePool thread while the caller fills the other one, so the caller waits for the disk only
// when it is two buffers ahead of it. With an O_DIRECT descriptor the full buffers go straight
// from the staging buffer to the device: no copy into the page cache and no writeback work on
// this machine's CPU, which on a large PUT cost about as much as the MD5 of the ETag (measured;
// see bench/README.md). Finish() writes the tail (its block-aligned part directly, the rest
// through the page cache) and waits: then the file holds every appended byte, not yet fsynced.
// Thread-safety: one thread at a time calls Append/Finish; the pool's threads only touch a
// buffer that the caller has handed over.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>

#include "common/error.h"
#include "store/fs/write_pool.h"

namespace kura::store {

class StagedFile {
 public:
  // `fd` is open for writing at offset 0 and stays owned by the caller; `direct` when it was
  // opened with O_DIRECT (a write the filesystem rejects as misaligned falls back to buffered).
  StagedFile(WritePool& pool, int fd, bool direct, std::filesystem::path path);
  ~StagedFile();  // waits for the writes in flight
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  // Errors (sticky): a failed background write, or an allocation failure.
  Result<void> Append(std::string_view bytes);
  // Appending in place: the free part of the current staging buffer, then Commit(n) of the
  // bytes written at its start (n ≤ its size). Errors as Append's.
  Result<std::span<char>> Space();
  Result<void> Commit(size_t n);
  // Writes what is staged and waits for every write. Call once, after the last Append.
  Result<void> Finish();

 private:
  struct Slot {
    WritePool::Buffer buffer;
    size_t used = 0;
    bool in_flight = false;  // guarded by mu_ while a pool thread may own the buffer
  };

  void Submit(Slot& slot, uint64_t offset);
  Result<void> WaitIdle(Slot& slot);
  Result<void> WriteAt(const char* data, size_t size, uint64_t offset);  // any thread

  WritePool& pool_;
  int fd_;
  bool direct_;
  std::filesystem::path path_;
  Slot slots_[2];
  int current_ = 0;
  uint64_t offset_ = 0;  // file offset of slots_[current_]'s first byte
  std::mutex mu_;
  std::condition_variable idle_;
  std::optional<Error> error_;  // guarded by mu_: the first failure
};

}  // namespace kura::store
