// Server CPU time from /proc/PID/stat (utime + stime, fields 14 and 15, in clock ticks), summed
// over several processes, to report the server's CPU-µs per operation. Linux only.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace kura::bench {

// utime + stime in ticks from the text of /proc/PID/stat (the command name may hold spaces and
// parentheses, so fields are counted after the last ')').
Result<uint64_t> ParseProcStatTicks(std::string_view stat);
// The summed CPU time of the processes, in microseconds.
Result<uint64_t> ProcessesCpuMicros(const std::vector<int>& pids);

}  // namespace kura::bench
