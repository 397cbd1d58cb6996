// The metadata ballast: a file (DATA/reserve, 0600) of preallocated blocks that kura gives
// back to the file system when a metadata commit fails for want of space, so that the commit
// can be retried once and succeed. SQLite's WAL needs new pages to commit even a delete; on a
// file system filled to the last byte (by kura or by anything else) a DeleteObject, a
// DeleteAccessKey or a session revocation would otherwise fail exactly when it is needed to
// free space or stop an attacker. The ballast is made at start and re-made once the file system
// has room again (FreeSpaceMonitor::OnRoom), so recovery needs no restart.
// Thread-safety: thread-safe (Release runs on the metadata writer thread, Make on whichever
// thread refreshed the free-space reading).
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>

#include "common/error.h"

namespace kura::store::space {

class Ballast {
 public:
  static constexpr uint64_t kDefaultBytes = uint64_t{16} << 20;

  Ballast(std::filesystem::path file, uint64_t bytes) : file_(std::move(file)), bytes_(bytes) {}

  // Creates the file with `bytes` allocated blocks (fallocate; not sparse) and fsyncs it and its
  // directory, unless it is already there and whole. On failure (no room) leaves no file.
  Result<void> Make();
  // Removes the file; true when that gave space back (it existed).
  bool Release();
  bool present();
  uint64_t bytes() const { return bytes_; }

 private:
  Result<void> MakeLocked();

  const std::filesystem::path file_;
  const uint64_t bytes_;
  std::mutex mu_;
};

}  // namespace kura::store::space
