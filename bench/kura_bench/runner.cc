#include "kura_bench/runner.h"

#include <cstdio>
#include <thread>

#include "kura_bench/server_cpu.h"

namespace kura::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct CpuSample {
  bool known = false;
  uint64_t micros = 0;
  std::string error;
};

CpuSample SampleCpu(const std::vector<int>& pids) {
  if (pids.empty()) return {};
  auto micros = ProcessesCpuMicros(pids);
  if (!micros) return {false, 0, micros.error().message};
  return {true, *micros, {}};
}

// Sleeps until `until`, printing progress every second when asked; returns early when every
// worker has finished.
void Watch(const std::vector<std::unique_ptr<Worker>>& workers, SteadyTime start,
           SteadyTime until, bool progress) {
  SteadyTime next_print = Clock::now() + std::chrono::seconds(1);
  while (Clock::now() < until) {
    bool all_done = true;
    for (const auto& w : workers) all_done = all_done && w->finished();
    if (all_done) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!progress || Clock::now() < next_print) continue;
    next_print += std::chrono::seconds(1);
    uint64_t done = 0, errors = 0;
    for (const auto& w : workers) {
      done += w->completed();
      errors += w->errors();
    }
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::fprintf(stdout, "\r%7.1fs  %10llu ops  %10.0f ops/s  %8llu errors ", elapsed,
                 static_cast<unsigned long long>(done), static_cast<double>(done) / elapsed,
                 static_cast<unsigned long long>(errors));
    std::fflush(stdout);
  }
}

}  // namespace

Result<RunResult> RunWorkload(const RunOptions& options, const WorkerSetup& setup,
                              const WorkloadConfig& config, Workload workload) {
  int threads = std::max(1, std::min(options.threads, options.connections));
  RunControl control;
  SteadyTime start = Clock::now() + std::chrono::milliseconds(5);
  RunPlan base;
  base.start = start;
  base.measure_start = start + options.warmup;
  base.end = options.duration.count() > 0 ? base.measure_start + options.duration
                                          : SteadyTime::max();
  base.requests = options.requests;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t) {
    RunPlan plan = base;
    plan.connections = options.connections / threads + (t < options.connections % threads);
    plan.rate = options.rate / threads;
    auto factory = std::make_unique<OpFactory>(config, workload, 0x5eed + t * 7919);
    auto worker = Worker::Create(setup, plan, control, std::move(factory));
    if (!worker) return std::move(worker).error();
    workers.push_back(std::move(worker).value());
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] { workers[t]->Run(); });
  }
  Watch(workers, start, base.measure_start, options.progress);
  CpuSample before = SampleCpu(options.server_pids);
  SteadyTime measured_from = std::max(Clock::now(), base.measure_start);
  Watch(workers, start, base.end, options.progress);
  CpuSample after = SampleCpu(options.server_pids);
  SteadyTime measured_to = std::min(Clock::now(), base.end);
  for (auto& thread : pool) thread.join();
  if (options.progress) std::fprintf(stdout, "\n");

  RunResult result;
  SteadyTime last = measured_from;
  for (const auto& w : workers) {
    result.stats.Merge(w->stats());
    last = std::max(last, w->last_completion());
  }
  if (base.end == SteadyTime::max()) measured_to = last;
  result.seconds = std::chrono::duration<double>(measured_to - measured_from).count();
  result.server_cpu_known = before.known && after.known;
  result.server_cpu_us = result.server_cpu_known ? after.micros - before.micros : 0;
  result.server_cpu_error = !before.error.empty() ? before.error : after.error;
  return result;
}

}  // namespace kura::bench
