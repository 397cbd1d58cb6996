#include "metrics/store_metrics.h"

namespace kura::metrics {

void StoreMetrics::ObserveCommit(std::chrono::nanoseconds took, size_t writes) {
  commit_seconds_.Observe(std::chrono::duration<double>(took).count());
  batch_size_.Observe(static_cast<double>(writes));
}

void StoreMetrics::Collect(TextWriter& out) const {
  out.Family("kura_store_commit_duration_seconds",
             "Metadata group commits: time to run and commit one batch (its WAL fsync included).",
             MetricType::kHistogram);
  commit_seconds_.Write(out, "kura_store_commit_duration_seconds", {});
  out.Family("kura_store_commit_batch_size", "Metadata group commits: writes per committed batch.",
             MetricType::kHistogram);
  batch_size_.Write(out, "kura_store_commit_batch_size", {});
}

}  // namespace kura::metrics
