#include "kura_bench/histogram.h"

#include <gtest/gtest.h>

#include <random>

namespace kura::bench {
namespace {

TEST(Histogram, ReportsZeroWhenEmpty) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.ValueAtPercentile(50), 0u);
  EXPECT_EQ(h.max(), 0u);
}

TEST(Histogram, KeepsSmallValuesExact) {
  Histogram h;
  for (uint64_t v = 0; v < 256; ++v) h.Record(v);
  EXPECT_EQ(h.ValueAtPercentile(50), 127u);
  EXPECT_EQ(h.ValueAtPercentile(100), 255u);
  EXPECT_EQ(h.min(), 0u);
}

TEST(Histogram, BucketsTileTheValueRangeWithoutGaps) {
  for (size_t i = 1; i < 40 * Histogram::kSubBuckets; ++i) {
    EXPECT_EQ(Histogram::BucketLowest(i), Histogram::BucketHighest(i - 1) + 1) << i;
    EXPECT_EQ(Histogram::BucketIndex(Histogram::BucketLowest(i)), i);
    EXPECT_EQ(Histogram::BucketIndex(Histogram::BucketHighest(i)), i);
  }
}

TEST(Histogram, BoundsTheRelativeErrorOfEveryBucket) {
  for (uint64_t v : {300ull, 1000ull, 123456ull, 987654321ull, 5000000000000ull}) {
    size_t i = Histogram::BucketIndex(v);
    double width = static_cast<double>(Histogram::BucketHighest(i) - Histogram::BucketLowest(i));
    EXPECT_LE(width / static_cast<double>(v), 1.0 / Histogram::kSubBuckets) << v;
  }
}

TEST(Histogram, FindsPercentilesOfAUniformDistributionWithinOnePercent) {
  Histogram h;
  for (uint64_t v = 1; v <= 1000000; ++v) h.Record(v * 1000);
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    double expected = p / 100.0 * 1e9;
    EXPECT_NEAR(static_cast<double>(h.ValueAtPercentile(p)), expected, expected * 0.01) << p;
  }
  EXPECT_EQ(h.ValueAtPercentile(100), 1000000000u);
  EXPECT_EQ(h.max(), 1000000000u);
  EXPECT_NEAR(h.mean(), 500000500.0, 1.0);
}

TEST(Histogram, SeesATailOfOnePerThousand) {
  Histogram h;
  for (int i = 0; i < 999; ++i) h.Record(1000);
  h.Record(5000000);
  EXPECT_LE(h.ValueAtPercentile(99.9), 1008u);
  EXPECT_EQ(h.ValueAtPercentile(99.95), 5000000u);
  EXPECT_EQ(h.ValueAtPercentile(100), 5000000u);
}

TEST(Histogram, MergesLikeRecordingEverythingInOne) {
  Histogram a, b, all;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10000; ++i) {
    uint64_t v = rng() % 100000000;
    (i % 2 == 0 ? a : b).Record(v);
    all.Record(v);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  for (double p : {50.0, 99.0, 99.9}) EXPECT_EQ(a.ValueAtPercentile(p), all.ValueAtPercentile(p));
}

TEST(Histogram, ClampsHugeValuesIntoTheLastBucket) {
  Histogram h;
  h.Record(UINT64_MAX);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.max(), UINT64_MAX);
}

}  // namespace
}  // namespace kura::bench
