// What a run measured, per operation type: latency and time-to-first-byte histograms of the
// successful operations, counts, payload bytes and errors by kind (HTTP status, "verify", "net",
// "xml"). Failed operations never enter the latency histograms. Thread-safety: one per worker,
// merged after the run.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "kura_bench/histogram.h"
#include "kura_bench/operation.h"

namespace kura::bench {

struct OpStats {
  Histogram latency;  // ns, from the intended start to the last byte of the last reply
  Histogram ttfb;     // ns, from the intended start to the first byte of the first reply
  uint64_t ok = 0;
  uint64_t failed = 0;
  uint64_t bytes = 0;
  std::map<std::string, uint64_t> errors;

  void Merge(const OpStats& other);
};

struct RunStats {
  std::array<OpStats, kOpTypeCount> by_type;
  uint64_t requests = 0;  // HTTP exchanges (a multipart upload is several)

  void Merge(const RunStats& other);
  OpStats Total() const;
  OpStats& For(OpType type) { return by_type[static_cast<size_t>(type)]; }
};

}  // namespace kura::bench
