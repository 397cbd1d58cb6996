// A Prometheus histogram with fixed buckets, observed without locks: one relaxed atomic add to
// the bucket the value falls in and one to the sum. The buckets' upper bounds are given once
// (constant data, at most kMaxBuckets, ascending); +Inf is implicit. Written cumulatively, as
// the format wants (`_bucket{le="…"}`, `_sum`, `_count`).
// Thread-safety: Observe from any thread; Write reads a consistent-enough snapshot (a sample
// taken mid-scrape may show in one bucket and not yet in the sum, as with any Prometheus client).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string_view>

#include "metrics/text_format.h"

namespace kura::metrics {

// Request and commit latencies, seconds: 0.5 ms … 10 s.
inline constexpr double kLatencyBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};

class Histogram {
 public:
  static constexpr size_t kMaxBuckets = 15;
  // `bounds` must outlive the histogram (a constant array).
  explicit Histogram(std::span<const double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void Observe(double value);
  uint64_t count() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

  // The family's samples (not its HELP/TYPE): `name`_bucket…, _sum, _count, each with `labels`.
  void Write(TextWriter& out, std::string_view name, std::span<const Label> labels) const;

 private:
  std::span<const double> bounds_;
  std::array<std::atomic<uint64_t>, kMaxBuckets + 1> counts_{};  // [bounds_.size()]: +Inf
  std::atomic<double> sum_{0};
};

}  // namespace kura::metrics
