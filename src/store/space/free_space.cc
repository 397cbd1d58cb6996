#include "store/space/free_space.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>

namespace kura::store::space {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

Error BadReserve(std::string_view text) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "bad --min-free-space '" + std::string(text) +
                       "': want bytes (e.g. 1GiB, 500M, 0) or a percentage (e.g. 2%)");
}

// The multiplier of a size suffix, or 0 when it is not one.
uint64_t SuffixMultiplier(std::string_view suffix) {
  static constexpr std::pair<std::string_view, uint64_t> kSuffixes[] = {
      {"", 1},
      {"B", 1},
      {"K", 1000},
      {"KB", 1000},
      {"M", 1000 * 1000},
      {"MB", 1000 * 1000},
      {"G", 1000 * 1000 * 1000},
      {"GB", 1000 * 1000 * 1000},
      {"T", uint64_t{1000} * 1000 * 1000 * 1000},
      {"TB", uint64_t{1000} * 1000 * 1000 * 1000},
      {"KiB", uint64_t{1} << 10},
      {"MiB", uint64_t{1} << 20},
      {"GiB", uint64_t{1} << 30},
      {"TiB", uint64_t{1} << 40},
  };
  for (const auto& [name, multiplier] : kSuffixes) {
    if (name == suffix) return multiplier;
  }
  return 0;
}

}  // namespace

uint64_t Reserve::BytesOf(uint64_t total) const {
  switch (kind) {
    case Kind::kDefault: return DefaultReserveBytes(total);
    case Kind::kBytes: return bytes;
    case Kind::kPercent: return static_cast<uint64_t>(static_cast<double>(total) * percent / 100);
  }
  return 0;
}

Result<Reserve> ParseReserve(std::string_view text) {
  if (text == "default" || text.empty()) return Reserve{};
  if (text.ends_with('%')) {
    std::string number(text.substr(0, text.size() - 1));
    char* end = nullptr;
    errno = 0;
    double percent = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || errno != 0 || !(percent >= 0) ||
        percent >= 100) {
      return BadReserve(text);
    }
    return Reserve{Reserve::Kind::kPercent, 0, percent};
  }
  uint64_t count = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc() || end == text.data()) return BadReserve(text);
  uint64_t multiplier = SuffixMultiplier(text.substr(static_cast<size_t>(end - text.data())));
  if (multiplier == 0 || (count != 0 && count > UINT64_MAX / multiplier)) return BadReserve(text);
  return Reserve{Reserve::Kind::kBytes, count * multiplier, 0};
}

uint64_t DefaultReserveBytes(uint64_t total) {
  uint64_t wanted = std::max(kGiB, total / 50);
  return std::min(wanted, total / 20);
}

Result<DiskSpace> StatVfs(const std::filesystem::path& path) {
  struct statvfs stats {};
  if (::statvfs(path.c_str(), &stats) != 0) {
    return MakeError(ErrorCode::kInternalError,
                     "statvfs " + path.string() + ": " + std::strerror(errno));
  }
  return DiskSpace{static_cast<uint64_t>(stats.f_bavail) * stats.f_frsize,
                   static_cast<uint64_t>(stats.f_blocks) * stats.f_frsize};
}

FreeSpaceMonitor::FreeSpaceMonitor(std::filesystem::path dir, Reserve reserve, const Clock& clock,
                                   StatFs statfs)
    : dir_(std::move(dir)), reserve_(reserve), clock_(clock), statfs_(std::move(statfs)) {}

void FreeSpaceMonitor::OnRoom(uint64_t room_margin, std::function<void()> on_room) {
  room_margin_ = room_margin;
  on_room_ = std::move(on_room);
}

bool FreeSpaceMonitor::BelowReserve(uint64_t incoming) {
  RefreshIfStale();
  std::lock_guard lock(mu_);
  return BelowReserveLocked(incoming);
}

bool FreeSpaceMonitor::Admit(uint64_t incoming) {
  RefreshIfStale();
  std::lock_guard lock(mu_);
  if (BelowReserveLocked(incoming)) return false;
  admitted_ += incoming;
  return true;
}

bool FreeSpaceMonitor::BelowReserveLocked(uint64_t incoming) const {
  if (!known_) return false;
  uint64_t wanted = reserve_.BytesOf(last_.total);
  uint64_t available = last_.available > admitted_ ? last_.available - admitted_ : 0;
  return available < wanted || available - wanted < incoming;
}

void FreeSpaceMonitor::Refresh() { Read(); }

DiskSpace FreeSpaceMonitor::Last() {
  std::lock_guard lock(mu_);
  return last_;
}

uint64_t FreeSpaceMonitor::ReserveBytes() {
  std::lock_guard lock(mu_);
  return reserve_.BytesOf(last_.total);
}

void FreeSpaceMonitor::RefreshIfStale() {
  {
    std::lock_guard lock(mu_);
    if (known_ && clock_.Now() - read_at_ < kRefreshInterval) return;
  }
  Read();
}

void FreeSpaceMonitor::Read() {
  auto space = statfs_(dir_);
  bool room = false;
  {
    std::lock_guard lock(mu_);
    read_at_ = clock_.Now();
    if (!space) {
      known_ = false;  // retried at the next question, after kRefreshInterval
      return;
    }
    last_ = *space;
    known_ = true;
    admitted_ = 0;  // the reading holds what was written; bodies still in flight are not booked
    room = last_.available >= reserve_.BytesOf(last_.total) + room_margin_;
  }
  if (room && on_room_) on_room_();
}

}  // namespace kura::store::space
