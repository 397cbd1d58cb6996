#include "kura_bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace kura::bench {
namespace {

constexpr size_t kBucketCount = (Histogram::kMaxExponent + 2) * Histogram::kSubBuckets;
constexpr uint64_t kLinearLimit = 2 * Histogram::kSubBuckets;

}  // namespace

Histogram::Histogram() : buckets_(kBucketCount, 0) {}

size_t Histogram::BucketIndex(uint64_t value) {
  if (value < kLinearLimit) return static_cast<size_t>(value);
  int exponent = std::bit_width(value) - 1 - kSubBucketBits;  // >= 1
  if (exponent > kMaxExponent) return kBucketCount - 1;
  uint64_t mantissa = value >> exponent;  // in [kSubBuckets, 2*kSubBuckets)
  return static_cast<size_t>(exponent) * kSubBuckets + mantissa;
}

uint64_t Histogram::BucketLowest(size_t index) {
  if (index < kLinearLimit) return index;
  uint64_t exponent = index / kSubBuckets - 1;
  uint64_t mantissa = index % kSubBuckets + kSubBuckets;
  return mantissa << exponent;
}

uint64_t Histogram::BucketHighest(size_t index) {
  if (index < kLinearLimit) return index;
  uint64_t exponent = index / kSubBuckets - 1;
  return BucketLowest(index) + (uint64_t{1} << exponent) - 1;
}

void Histogram::Record(uint64_t value) {
  ++buckets_[BucketIndex(value)];
  ++count_;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  sum_ += value;
}

void Histogram::Merge(const Histogram& other) {
  for (size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

double Histogram::mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

uint64_t Histogram::ValueAtPercentile(double percentile) const {
  if (count_ == 0) return 0;
  double clamped = std::clamp(percentile, 0.0, 100.0);
  // The relative epsilon keeps 99.9 % of 1000 at rank 999 despite 99.9 being inexact in binary.
  double exact_rank = clamped / 100.0 * static_cast<double>(count_);
  auto rank = static_cast<uint64_t>(std::ceil(exact_rank * (1.0 - 1e-12)));
  rank = std::max<uint64_t>(rank, 1);
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(BucketHighest(i), max_);
  }
  return max_;
}

}  // namespace kura::bench
