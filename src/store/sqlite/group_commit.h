// Group commit: one thread owns the write connection. Submit() queues a request; the writer
// takes everything queued (up to kMaxBatch), runs each request inside its own SAVEPOINT of ONE
// transaction (a failing request is rolled back alone), commits once (one WAL fsync with
// synchronous=FULL) and only then runs the requests' completions, in submission order. While
// it commits, new requests queue up and form the next batch, so N concurrent writers share
// roughly one fsync per batch instead of paying one each.
// Disk full: when the batch fails for want of space (SQLITE_FULL) and `release_space` gives some
// back (the ballast, space/ballast.h), the whole batch is run again, once (nothing of the
// failed try is committed).
// I/O errors at COMMIT (a failed write or fsync of the WAL) fail the batch's requests and are
// never retried: after a failed fsync the kernel may have dropped the dirty pages and a second
// fsync would report success for data that is not on the disk ("fsyncgate"). The frames of the
// failed commit stay in the WAL file, where a crash recovery could find them and resurrect a
// write its client was told had failed; so the writer at once commits a one-page "seal"
// transaction over them (it overwrites the first failed frame and breaks the checksum chain of
// the rest). If the seal fails too, the device is not taking writes: the committer stops
// accepting them (kInternalError) until the process restarts. Reads are unaffected.
// Thread-safety: Submit() is thread-safe. Completions run on the writer thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
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
  // Told after each batch committed: how long it took (its transaction, the COMMIT and its fsync)
  // and how many writes it carried. Runs on the writer thread: it must be quick.
  using CommitObserver = std::function<void(std::chrono::nanoseconds took, size_t writes)>;
  static constexpr size_t kMaxBatch = 1024;

  // `release_space` (may be empty) frees room on the database's file system; true when it did.
  // `on_commit` may be empty.
  GroupCommitter(std::unique_ptr<Db> db, std::function<void(CommitPhase)> hook,
                 std::function<bool()> release_space = {}, CommitObserver on_commit = {});
  // Finishes every queued request, then stops the writer.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  void Submit(Apply apply, Complete complete);

  // Moves after every batch that may have changed the database (committed or not: a failed
  // COMMIT may still have written), before any of its requests is completed. Readers that keep
  // what they read (RecordCache) tag it with the value read before their read.
  const std::atomic<uint64_t>& WriteGeneration() const { return generation_; }

 private:
  struct Request {
    Apply apply;
    Complete complete;
  };
  void Run();
  void RunBatch(std::vector<Request>& batch);
  // One try at the batch: its transaction, every request's result in `results`, the commit's.
  // With `abandon_if_full`, a request failing for want of space rolls the whole try back
  // (kInsufficientStorage) so that it can be run again.
  Result<void> Attempt(std::vector<Request>& batch, std::vector<Result<void>>& results,
                       bool abandon_if_full);
  Result<void> ApplyInSavepoint(Request& request);
  // After a commit's I/O error: a transaction over the failed frames (see above); false when it
  // could not be committed either.
  bool SealFailedCommit();

  std::unique_ptr<Db> db_;  // writer thread only
  std::function<void(CommitPhase)> hook_;
  std::function<bool()> release_space_;
  CommitObserver on_commit_;
  bool fenced_ = false;           // writer thread only: a seal failed, writes are refused
  bool commit_io_error_ = false;  // writer thread only: the last COMMIT failed on an I/O error
  std::atomic<uint64_t> generation_{1};
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Request> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  std::thread writer_;
};

}  // namespace kura::store::sqlite
