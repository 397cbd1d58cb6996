#include "metrics/histogram.h"

#include <cstdlib>
#include <string>
#include <vector>

namespace kura::metrics {

Histogram::Histogram(std::span<const double> bounds) : bounds_(bounds) {
  if (bounds.size() > kMaxBuckets) std::abort();  // a programming error, caught by any test
}

void Histogram::Observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;  // le: a value on a bound counts in it
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

uint64_t Histogram::count() const {
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) total += counts_[i].load(std::memory_order_relaxed);
  return total;
}

void Histogram::Write(TextWriter& out, std::string_view name, std::span<const Label> labels) const {
  std::vector<Label> with_le(labels.begin(), labels.end());
  with_le.push_back({"le", ""});
  std::string bucket_name = std::string(name) + "_bucket";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    std::string le = i < bounds_.size() ? FormatValue(bounds_[i]) : "+Inf";
    with_le.back().value = le;
    out.Sample(bucket_name, with_le, static_cast<double>(cumulative));
  }
  out.Sample(std::string(name) + "_sum", labels, sum());
  out.Sample(std::string(name) + "_count", labels, static_cast<double>(cumulative));
}

}  // namespace kura::metrics
