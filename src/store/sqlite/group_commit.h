// Group commit: one thread owns the write connection. Submit() queues a request; the writer
// takes everything queued (up to kMaxBatch), runs each request inside its own SAVEPOINT of ONE
// transaction (a failing request is rolled back alone), commits once (one WAL fsync with
// synchronous=FULL) and only then runs the requests' completions, in submission order. While
// it commits, new requests queue up and form the next batch, so N concurrent writers share
// roughly one fsync per batch instead of paying one each.
// Thread-safety: Submit() is thread-safe. Completions run on the writer thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"
#include "store/sqlite/db.h"

namespace kura::store::sqlite {

// Points in a batch's life, for tests that simulate a crash there.
enum class CommitPhase { kBeforeCommit, kAfterCommit };

class GroupCommitter {
 public:
  using Apply = std::function<Result<void>(Db&)>;      // runs inside the transaction
  using Complete = std::function<void(Result<void>)>;  // Apply's error, the commit's, or Ok
  static constexpr size_t kMaxBatch = 1024;

  GroupCommitter(std::unique_ptr<Db> db, std::function<void(CommitPhase)> hook);
  // Finishes every queued request, then stops the writer.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  void Submit(Apply apply, Complete complete);

 private:
  struct Request {
    Apply apply;
    Complete complete;
  };
  void Run();
  void RunBatch(std::vector<Request>& batch);
  Result<void> ApplyInSavepoint(Request& request);

  std::unique_ptr<Db> db_;  // writer thread only
  std::function<void(CommitPhase)> hook_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Request> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  std::thread writer_;
};

}  // namespace kura::store::sqlite
