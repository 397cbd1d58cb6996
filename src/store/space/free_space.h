// Free space on the file system holding the data dir, and the reserve kura keeps there.
//   ParseReserve("1GiB" | "512MiB" | "2%" | "0"): the --min-free-space flag.
//   FreeSpaceMonitor: answers "is the file system below its reserve?" from a statvfs result
//   cached for at most kRefreshInterval (a request path must not pay one syscall per request,
//   and free space changes slowly), refreshed at once after a refusal (Refresh), so that
//   space freed by a delete is seen by the next request. When it sees room again it re-makes
//   the metadata ballast (ballast.h), so recovery needs no restart.
// Time and the OS are injected (Clock, StatFs) so tests drive both. Thread-safety: thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"

namespace kura::store::space {

struct DiskSpace {
  uint64_t available = 0;  // bytes an unprivileged writer may still take (f_bavail)
  uint64_t total = 0;      // bytes of the file system (f_blocks)
};

// A reserve: absolute bytes, a share of the file system's size, or the default.
struct Reserve {
  enum class Kind { kDefault, kBytes, kPercent };
  Kind kind = Kind::kDefault;
  uint64_t bytes = 0;
  double percent = 0;
  uint64_t BytesOf(uint64_t total) const;
};

// "default", "0" (no reserve), "N" bytes, N with a suffix K/M/G/T (powers of 1000) or
// KiB/MiB/GiB/TiB (powers of 1024), or "P%" of the file system (0 <= P < 100).
// kInvalidArgument otherwise.
Result<Reserve> ParseReserve(std::string_view text);

// The default reserve: max(1 GiB, 2 % of the disk), but never more than 5 % of it, so that a
// small disk (a 64 MiB test file system, a 10 GiB VM disk) is not refused from the start.
uint64_t DefaultReserveBytes(uint64_t total);

using StatFs = std::function<Result<DiskSpace>(const std::filesystem::path&)>;
// statvfs(2) of `path`'s file system.
Result<DiskSpace> StatVfs(const std::filesystem::path& path);

class FreeSpaceMonitor {
 public:
  static constexpr std::chrono::milliseconds kRefreshInterval{250};

  FreeSpaceMonitor(std::filesystem::path dir, Reserve reserve, const Clock& clock,
                   StatFs statfs = StatVfs);

  // True when the file system's available space is below the reserve plus `incoming` bytes (a
  // request's declared body size). A failed statvfs counts as "not below": refusing every
  // write because a syscall failed would be worse than the write failing on its own.
  // Bodies admitted since the last reading (Admit) count as taken until the next one.
  bool BelowReserve(uint64_t incoming = 0);
  // BelowReserve's opposite, and when there is room, books `incoming` against the reading: a
  // burst of writes admitted within one kRefreshInterval cannot all pass on one stale reading.
  bool Admit(uint64_t incoming);
  // Reads the file system now (after a refusal or a failed write).
  void Refresh();
  // The last reading and the reserve it implies (for logs and metrics).
  DiskSpace Last();
  uint64_t ReserveBytes();

  // `on_room` runs (outside the lock, on the refreshing thread) after each refresh that finds
  // the file system at or above the reserve plus `room_margin` bytes: the ballast's re-making.
  // Set before the monitor is shared.
  void OnRoom(uint64_t room_margin, std::function<void()> on_room);

 private:
  void RefreshIfStale();
  void Read();
  bool BelowReserveLocked(uint64_t incoming) const;  // mu_ held

  std::filesystem::path dir_;
  Reserve reserve_;
  const Clock& clock_;
  StatFs statfs_;
  std::mutex mu_;
  DiskSpace last_;            // guarded by mu_
  bool known_ = false;        // guarded by mu_
  TimePoint read_at_{};       // guarded by mu_
  uint64_t admitted_ = 0;     // guarded by mu_: bytes admitted since read_at_
  uint64_t room_margin_ = 0;  // set before serving
  std::function<void()> on_room_;
};

}  // namespace kura::store::space
