// The writers of PostgresMetadataStore: a fixed number of threads, each with a connection of its
// own, take queued writes one at a time and run each as ONE transaction (BEGIN … COMMIT); the
// write's completion runs on that thread once COMMIT has returned, i.e. after PostgreSQL made it
// durable (synchronous_commit on; concurrent commits share WAL flushes, PostgreSQL's own group
// commit). A failed write is rolled back. A thread whose connection broke opens a new one for
// its next write; a write that finds its connection stale before anything was sent is retried
// once on a fresh one, so a server restart costs at most the writes in flight.
// A COMMIT whose connection is lost before its answer arrives may or may not have committed;
// answering "failed" for a write that committed would have the caller delete the blob the new
// version references. So each transaction notes its id at BEGIN (txid_current(), in the same
// round trip), and after such a loss a fresh connection asks txid_status(): committed is
// success; aborted, or no answer (kServiceUnavailable, "outcome unknown"), is failure.
// Writes submitted concurrently may commit in any order: a caller that needs one write after
// another waits for the first's completion (as the store's callers do).
// Thread-safety: Submit() is thread-safe. The destructor completes every queued write.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/postgres/pg_connection.h"

namespace kura::store::postgres {

class PgWriterPool {
 public:
  using Apply = std::function<Result<void>(PgConnection&)>;  // runs inside the transaction
  using Complete = std::function<void(Result<void>)>;        // Apply's error, COMMIT's, or Ok

  // `before_commit` (may be empty; tests) runs on the writer thread before each COMMIT.
  PgWriterPool(PgSettings settings, size_t threads, std::function<void()> before_commit = {});
  ~PgWriterPool();
  PgWriterPool(const PgWriterPool&) = delete;
  PgWriterPool& operator=(const PgWriterPool&) = delete;

  void Submit(Apply apply, Complete complete);

 private:
  struct Request {
    Apply apply;
    Complete complete;
  };
  void Run();
  // BEGIN on `conn`, (re)connecting first when it is missing or broken; the transaction's id.
  Result<int64_t> Begin(std::unique_ptr<PgConnection>& conn);
  Result<void> Transact(std::unique_ptr<PgConnection>& conn, Request& request);
  // The outcome of transaction `txid`, whose COMMIT lost its connection with `lost`.
  Result<void> ResolveCommit(int64_t txid, const Error& lost);

  const PgSettings settings_;
  const std::function<void()> before_commit_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Request> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace kura::store::postgres
