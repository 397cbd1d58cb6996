// A latency histogram with HDR-style log-linear buckets: values below 2*kSubBuckets are exact;
// above, each power of two is split into kSubBuckets equal buckets, so any recorded value is
// reported within 1/kSubBuckets (0.8 %) of itself. Fixed memory (~36 KiB), O(1) Record, exact
// min/max/mean. Values are nanoseconds by convention. Thread-safety: one writer; merge per-thread
// histograms after the run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kura::bench {

class Histogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;
  static constexpr int kMaxExponent = 42;  // values are clamped to 2^(42+7) ns (~6.5 days)

  Histogram();

  void Record(uint64_t value);
  void Merge(const Histogram& other);

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }
  double mean() const;
  // The value at or below which `percentile` % of recorded values fall (the bucket's highest
  // value, capped by max()). 0 when empty.
  uint64_t ValueAtPercentile(double percentile) const;

  // Bucket arithmetic, exposed for tests.
  static size_t BucketIndex(uint64_t value);
  static uint64_t BucketLowest(size_t index);
  static uint64_t BucketHighest(size_t index);

 private:
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace kura::bench
