// One load-generating thread: an EventLoop, its share of the connections, its own signer and
// operation stream, and its statistics. Closed loop: every idle connection starts the next
// operation at once. Open loop (--rate): operations are due at fixed intervals; one that finds
// no idle connection waits in a backlog, and its latency still counts from when it was due, so
// a stalled server cannot hide its stall (no coordinated omission).
// Thread-safety: Run on one thread; progress counters are atomics readable from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <vector>

#include "kura_bench/connection.h"
#include "kura_bench/request_builder.h"
#include "kura_bench/stats.h"
#include "kura_bench/workload.h"

namespace kura::bench {

struct RunPlan {
  int connections = 1;       // this worker's connections
  double rate = 0;           // this worker's operations per second; 0 = closed loop
  SteadyTime start;          // the run's start (warm-up begins)
  SteadyTime measure_start;  // start + warm-up
  SteadyTime end;            // stop issuing (SteadyTime::max() when bounded by --requests only)
  uint64_t requests = 0;     // > 0: stop after this many measured operations, all workers
  std::chrono::nanoseconds drain_timeout = std::chrono::seconds(30);
};

// Shared by all workers of one run.
struct RunControl {
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> measured_issued{0};
};

struct WorkerSetup {
  const Endpoint* endpoint = nullptr;
  ssl_ctx_st* tls = nullptr;
  bool verify_tls = true;
  Credentials credentials;
  std::string region;
  PayloadMode payload_mode = PayloadMode::kSigned;
  uint64_t chunk_size = 64 * 1024;
  const PayloadCatalog* catalog = nullptr;
};

class Worker {
 public:
  static Result<std::unique_ptr<Worker>> Create(const WorkerSetup& setup, const RunPlan& plan,
                                                RunControl& control,
                                                std::unique_ptr<OpFactory> factory);
  ~Worker();

  void Run();
  const RunStats& stats() const { return stats_; }
  SteadyTime last_completion() const { return last_completion_; }
  uint64_t completed() const { return completed_.load(std::memory_order_relaxed); }
  uint64_t errors() const { return errors_.load(std::memory_order_relaxed); }
  bool finished() const { return finished_.load(std::memory_order_acquire); }

 private:
  class Slot;
  friend class Slot;

  Worker(const WorkerSetup& setup, const RunPlan& plan, RunControl& control,
         std::unique_ptr<EventLoop> loop, std::unique_ptr<OpFactory> factory);
  void DispatchIdle(SteadyTime now);
  void CountUnsent();
  bool StartNext(Slot& slot, SteadyTime intended);
  void OnFinished(Slot& slot, const std::string& error, SteadyTime now);
  std::chrono::nanoseconds WaitTime(SteadyTime now, bool stopping) const;

  const WorkerSetup& setup_;
  RunPlan plan_;
  RunControl& control_;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<OpFactory> factory_;
  RequestBuilder builder_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<Slot*> idle_;
  std::deque<SteadyTime> backlog_;  // open loop: due operations waiting for a connection
  SteadyTime next_due_;
  bool exhausted_ = false;
  int in_flight_ = 0;
  RunStats stats_;
  SteadyTime last_completion_{};
  std::atomic<uint64_t> completed_{0};
  std::atomic<uint64_t> errors_{0};
  std::atomic<bool> finished_{false};
};

}  // namespace kura::bench
