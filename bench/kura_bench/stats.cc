#include "kura_bench/stats.h"

namespace kura::bench {

void OpStats::Merge(const OpStats& other) {
  latency.Merge(other.latency);
  ttfb.Merge(other.ttfb);
  ok += other.ok;
  failed += other.failed;
  bytes += other.bytes;
  for (const auto& [kind, count] : other.errors) errors[kind] += count;
}

void RunStats::Merge(const RunStats& other) {
  for (size_t i = 0; i < by_type.size(); ++i) by_type[i].Merge(other.by_type[i]);
  requests += other.requests;
}

OpStats RunStats::Total() const {
  OpStats total;
  for (const OpStats& s : by_type) total.Merge(s);
  return total;
}

}  // namespace kura::bench
