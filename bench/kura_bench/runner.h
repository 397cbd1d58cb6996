// Runs one workload: spreads the connections (and the --rate) over the worker threads, starts
// them together, optionally prints a live progress line, samples the server's CPU time at the end
// of the warm-up and at the end of the measurement, joins, and merges the statistics.
// Thread-safety: call from the main thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "kura_bench/stats.h"
#include "kura_bench/worker.h"

namespace kura::bench {

struct RunOptions {
  int threads = 1;
  int connections = 1;
  double rate = 0;  // total operations per second; 0 = closed loop
  std::chrono::nanoseconds warmup{0};
  std::chrono::nanoseconds duration{0};  // 0 with requests > 0: bounded by count only
  uint64_t requests = 0;
  bool progress = false;
  std::vector<int> server_pids;
};

struct RunResult {
  RunStats stats;
  double seconds = 0;  // the measured interval
  bool server_cpu_known = false;
  uint64_t server_cpu_us = 0;
  std::string server_cpu_error;
};

Result<RunResult> RunWorkload(const RunOptions& options, const WorkerSetup& setup,
                              const WorkloadConfig& config, Workload workload);

}  // namespace kura::bench
