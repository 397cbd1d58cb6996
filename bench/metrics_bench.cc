// What counting one request costs the request path (RequestMetrics::Record: hash and probe of the
// series table, four relaxed atomic adds), alone and with threads contending on one series, and
// what a scrape costs with the series of a busy server.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <string_view>

#include "metrics/request_metrics.h"
#include "metrics/text_format.h"

namespace kura::metrics {
namespace {

constexpr std::string_view kOperations[] = {"GetObject", "PutObject", "HeadObject", "ListObjectsV2",
                                            "DeleteObject", "CreateMultipartUpload", "UploadPart",
                                            "CompleteMultipartUpload"};

RequestMetrics& Shared() {
  static RequestMetrics metrics;
  return metrics;
}

// One request recorded, cycling over a few operations (the table's steady state).
void BM_RecordRequest(benchmark::State& state) {
  RequestMetrics& metrics = Shared();
  size_t i = static_cast<size_t>(state.thread_index());
  for (auto _ : state) {
    metrics.Record(Api::kS3, kOperations[i++ % std::size(kOperations)], 200,
                   std::chrono::microseconds(700), 4096, 0);
  }
}
BENCHMARK(BM_RecordRequest)->Threads(1)->Threads(2)->UseRealTime();

// All threads on one series: the worst case for cache-line contention.
void BM_RecordSameOperation(benchmark::State& state) {
  RequestMetrics& metrics = Shared();
  for (auto _ : state) {
    metrics.Record(Api::kS3, "GetObject", 200, std::chrono::microseconds(700), 0, 4096);
  }
}
BENCHMARK(BM_RecordSameOperation)->Threads(1)->Threads(2)->UseRealTime();

void BM_AuthFailure(benchmark::State& state) {
  RequestMetrics& metrics = Shared();
  for (auto _ : state) metrics.RecordAuthFailure(Api::kS3, AuthFailure::kBadSignature);
}
BENCHMARK(BM_AuthFailure);

// A scrape of 300 series (about every S3, IAM and STS operation seen, each in two status
// classes).
void BM_Scrape(benchmark::State& state) {
  RequestMetrics metrics;
  for (int i = 0; i < 300; ++i) {
    std::string name = "Operation" + std::to_string(i);
    metrics.Record(Api::kIam, name, 200, std::chrono::milliseconds(1), 10, 10);
    metrics.Record(Api::kIam, name, 404, std::chrono::milliseconds(1), 10, 10);
  }
  size_t bytes = 0;
  for (auto _ : state) {
    TextWriter out;
    metrics.Collect(out);
    bytes = out.text().size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["page_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Scrape)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kura::metrics
