#include <gtest/gtest.h>

#include <atomic>

#include "common/clock.h"
#include "metrics/process_metrics.h"
#include "metrics/registry.h"
#include "metrics/store_metrics.h"

namespace kura::metrics {
namespace {

TEST(Registry, RendersCollectorsThenCallbacksReadAtEachScrape) {
  Registry registry;
  std::atomic<int> open{2};
  registry.AddCollector([](TextWriter& out) {
    out.Family("kura_a", "A.", MetricType::kGauge);
    out.Sample("kura_a", {}, 1);
  });
  registry.AddGauge("kura_open", "Open now.", [&open] { return static_cast<double>(open.load()); });
  registry.AddCounter("kura_dropped_total", "Dropped.", [] { return 7.0; });
  EXPECT_EQ(registry.Render(),
            "# HELP kura_a A.\n# TYPE kura_a gauge\nkura_a 1\n"
            "# HELP kura_open Open now.\n# TYPE kura_open gauge\nkura_open 2\n"
            "# HELP kura_dropped_total Dropped.\n# TYPE kura_dropped_total counter\nkura_dropped_total 7\n");
  open = 5;
  EXPECT_NE(registry.Render().find("\nkura_open 5\n"), std::string::npos);
}

TEST(ProcessMetrics, ReportsVersionStartAndUptimeFromTheClock) {
  FakeClock clock(TimePoint{} + std::chrono::seconds(1764720000));
  Registry registry;
  AddProcessMetrics(registry, "1.2.3", clock);
  clock.Advance(std::chrono::seconds(42));
  std::string page = registry.Render();
  EXPECT_NE(page.find("kura_build_info{version=\"1.2.3\"} 1\n"), std::string::npos) << page;
  EXPECT_NE(page.find("\nkura_uptime_seconds 42\n"), std::string::npos) << page;
  EXPECT_NE(page.find("\nprocess_resident_memory_bytes "), std::string::npos);
}

TEST(StoreMetrics, ObservesCommitDurationAndBatchSize) {
  StoreMetrics store;
  store.ObserveCommit(std::chrono::milliseconds(2), 3);
  store.ObserveCommit(std::chrono::milliseconds(20), 1000);
  TextWriter out;
  store.Collect(out);
  const std::string& page = out.text();
  EXPECT_NE(page.find("kura_store_commit_duration_seconds_bucket{le=\"0.0025\"} 1\n"), std::string::npos) << page;
  EXPECT_NE(page.find("kura_store_commit_duration_seconds_count 2\n"), std::string::npos);
  EXPECT_NE(page.find("kura_store_commit_batch_size_bucket{le=\"4\"} 1\n"), std::string::npos);
  EXPECT_NE(page.find("kura_store_commit_batch_size_bucket{le=\"1024\"} 2\n"), std::string::npos);
  EXPECT_NE(page.find("kura_store_commit_batch_size_sum 1003\n"), std::string::npos);
}

}  // namespace
}  // namespace kura::metrics
