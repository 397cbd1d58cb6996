// The results of a run, as a human-readable table or one JSON object (--json): per operation
// type and in total, ops/s, MB/s, latency p50/p90/p99/p99.9/max and mean, TTFB, errors by kind,
// and the server's CPU-µs per operation when --server-pid was given. Thread-safety: pure.
#pragma once

#include <string>

#include "kura_bench/runner.h"

namespace kura::bench {

struct ReportContext {
  std::string workload;
  std::string endpoint;
  int connections = 0;
  int threads = 0;
  double rate = 0;
  uint64_t size = 0;
};

std::string FormatText(const ReportContext& context, const RunResult& result);
std::string FormatJson(const ReportContext& context, const RunResult& result);

}  // namespace kura::bench
