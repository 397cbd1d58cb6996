#include "kura_bench/server_cpu.h"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace kura::bench {

Result<uint64_t> ParseProcStatTicks(std::string_view stat) {
  size_t paren = stat.rfind(')');
  if (paren == std::string_view::npos) {
    return MakeError(ErrorCode::kInternalError, "bad /proc stat line");
  }
  std::string_view rest = stat.substr(paren + 1);
  // After ')': field 3 (state) is the first; utime and stime are fields 14 and 15.
  uint64_t ticks = 0;
  int field = 2;
  size_t pos = 0;
  while (field < 15) {
    while (pos < rest.size() && rest[pos] == ' ') ++pos;
    size_t end = rest.find(' ', pos);
    if (end == std::string_view::npos) end = rest.size();
    ++field;
    if (field >= 14) {
      uint64_t value = 0;
      auto [p, ec] = std::from_chars(rest.data() + pos, rest.data() + end, value);
      if (ec != std::errc()) return MakeError(ErrorCode::kInternalError, "bad /proc stat field");
      ticks += value;
    }
    if (end == rest.size() && field < 15) {
      return MakeError(ErrorCode::kInternalError, "short /proc stat line");
    }
    pos = end;
  }
  return ticks;
}

Result<uint64_t> ProcessesCpuMicros(const std::vector<int>& pids) {
  static const long kTicksPerSecond = sysconf(_SC_CLK_TCK);
  uint64_t ticks = 0;
  for (int pid : pids) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return MakeError(ErrorCode::kInvalidArgument, "cannot read /proc/" + std::to_string(pid) + "/stat");
    auto parsed = ParseProcStatTicks(text.str());
    if (!parsed) return parsed.error();
    ticks += *parsed;
  }
  return ticks * 1'000'000 / static_cast<uint64_t>(kTicksPerSecond);
}

}  // namespace kura::bench
