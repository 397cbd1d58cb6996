#include "metrics/process_metrics.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>

namespace kura::metrics {
namespace {

double SecondsOf(TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// Resident set size: statm's second field, in pages.
std::optional<double> ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return std::nullopt;
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

std::optional<double> OpenFds() {
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/self/fd", ec);
  if (ec) return std::nullopt;
  double n = 0;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) return std::nullopt;
    ++n;
  }
  return n;
}
}  // namespace

void AddProcessMetrics(Registry& registry, std::string version, const Clock& clock) {
  TimePoint started = clock.Now();
  registry.AddCollector([version = std::move(version), started, &clock](TextWriter& out) {
    out.Family("kura_build_info", "The running kura's version (the value is always 1).",
               MetricType::kGauge);
    out.Sample("kura_build_info", {{"version", version}}, 1);
    out.Family("process_start_time_seconds", "Start time of the process, Unix seconds.",
               MetricType::kGauge);
    out.Sample("process_start_time_seconds", {}, SecondsOf(started));
    out.Family("kura_uptime_seconds", "Seconds since kura started.", MetricType::kGauge);
    out.Sample("kura_uptime_seconds", {}, std::chrono::duration<double>(clock.Now() - started).count());
    if (auto rss = ResidentBytes()) {
      out.Family("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::kGauge);
      out.Sample("process_resident_memory_bytes", {}, *rss);
    }
    if (auto fds = OpenFds()) {
      out.Family("process_open_fds", "Open file descriptors.", MetricType::kGauge);
      out.Sample("process_open_fds", {}, *fds);
    }
  });
}

}  // namespace kura::metrics
