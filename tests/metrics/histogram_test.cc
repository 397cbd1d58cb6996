#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "metrics/histogram.h"

namespace kura::metrics {
namespace {

constexpr double kBounds[] = {1, 5, 10};

TEST(Histogram, CountsEachValueInTheFirstBucketAtOrAboveItAndWritesCumulatively) {
  Histogram h(kBounds);
  for (double v : {0.5, 1.0, 1.5, 5.0, 7.0, 100.0}) h.Observe(v);
  EXPECT_EQ(h.count(), 6u);
  EXPECT_DOUBLE_EQ(h.sum(), 115.0);
  TextWriter out;
  Label labels[] = {{"op", "Get"}};
  h.Write(out, "lat", labels);
  EXPECT_EQ(out.text(),
            "lat_bucket{op=\"Get\",le=\"1\"} 2\n"
            "lat_bucket{op=\"Get\",le=\"5\"} 4\n"
            "lat_bucket{op=\"Get\",le=\"10\"} 5\n"
            "lat_bucket{op=\"Get\",le=\"+Inf\"} 6\n"
            "lat_sum{op=\"Get\"} 115\n"
            "lat_count{op=\"Get\"} 6\n");
}

TEST(Histogram, LosesNoObservationUnderConcurrentWriters) {
  Histogram h(kLatencyBuckets);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < 10000; ++i) h.Observe(0.001 * (t + 1));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(h.count(), 40000u);
  EXPECT_NEAR(h.sum(), 10000 * 0.001 * (1 + 2 + 3 + 4), 1e-6);
}

TEST(Histogram, TheLatencyBucketsAscendAndFit) {
  EXPECT_LE(std::size(kLatencyBuckets), Histogram::kMaxBuckets);
  for (size_t i = 1; i < std::size(kLatencyBuckets); ++i) {
    EXPECT_LT(kLatencyBuckets[i - 1], kLatencyBuckets[i]);
  }
}

}  // namespace
}  // namespace kura::metrics
