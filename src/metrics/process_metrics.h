// The process's own figures, read at scrape time: kura_build_info{version} (always 1),
// process_start_time_seconds, kura_uptime_seconds, process_resident_memory_bytes (Linux
// /proc/self/statm; left out where unreadable) and process_open_fds (/proc/self/fd).
// Thread-safety: the collector may run on any thread.
#pragma once

#include <string>

#include "common/clock.h"
#include "metrics/registry.h"

namespace kura::metrics {

// Registers the process collector. `clock` must outlive the registry; the start time is now.
void AddProcessMetrics(Registry& registry, std::string version, const Clock& clock);

}  // namespace kura::metrics
