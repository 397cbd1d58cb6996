#include "common/logging.h"

#include <unistd.h>

#include <atomic>
#include <string>

namespace kura {
namespace {
std::atomic<LogLevel> g_level{LogLevel::kInfo};
constexpr std::string_view kNames[] = {"debug", "info", "warning", "error"};
}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }
bool LogEnabled(LogLevel level) { return level >= g_level.load(std::memory_order_relaxed); }

void LogLine(LogLevel level, std::string_view line) {
  if (!LogEnabled(level)) return;
  std::string out = "level=";
  out += kNames[static_cast<int>(level)];
  out += ' ';
  out += line;
  out += '\n';
  // One write(2) per line keeps lines whole when threads log at once.
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, out.data(), out.size());
}

}  // namespace kura
