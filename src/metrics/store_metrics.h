// The metadata store's group commit (store/sqlite/group_commit.h): how long each batch's
// transaction took to commit (the WAL fsync dominates) and how many writes it carried. The
// store knows nothing of metrics: serve.cc hands ObserveCommit to it as SqliteOptions::on_commit.
// Thread-safety: ObserveCommit from any thread (the store's writer thread); lock-free.
#pragma once

#include <chrono>
#include <cstddef>

#include "metrics/histogram.h"
#include "metrics/text_format.h"

namespace kura::metrics {

// Writes per batch: 1 … GroupCommitter::kMaxBatch (1024).
inline constexpr double kBatchSizeBuckets[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

class StoreMetrics {
 public:
  StoreMetrics() : commit_seconds_(kLatencyBuckets), batch_size_(kBatchSizeBuckets) {}
  void ObserveCommit(std::chrono::nanoseconds took, size_t writes);
  // kura_store_commit_duration_seconds and kura_store_commit_batch_size.
  void Collect(TextWriter& out) const;

 private:
  Histogram commit_seconds_;
  Histogram batch_size_;
};

}  // namespace kura::metrics
