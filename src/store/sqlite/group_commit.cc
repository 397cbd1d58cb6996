#include "store/sqlite/group_commit.h"

#include <string>

#include "common/logging.h"

namespace kura::store::sqlite {
namespace {

bool IsFull(const Result<void>& result) {
  return !result && result.error().code == ErrorCode::kInsufficientStorage;
}

}  // namespace

GroupCommitter::GroupCommitter(std::unique_ptr<Db> db, std::function<void(CommitPhase)> hook,
                               std::function<bool()> release_space, CommitObserver on_commit)
    : db_(std::move(db)),
      hook_(std::move(hook)),
      release_space_(std::move(release_space)),
      on_commit_(std::move(on_commit)),
      writer_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

void GroupCommitter::Submit(Apply apply, Complete complete) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back({std::move(apply), std::move(complete)});
  }
  wake_.notify_one();
}

void GroupCommitter::Run() {
  std::vector<Request> batch;
  while (true) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      size_t n = std::min(queue_.size(), kMaxBatch);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunBatch(batch);
    batch.clear();
  }
}

Result<void> GroupCommitter::ApplyInSavepoint(Request& request) {
  auto savepoint = db_->Prepare("SAVEPOINT request");
  if (!savepoint) return savepoint.error();
  KURA_TRY((*savepoint)->Run());
  Result<void> applied = request.apply(*db_);
  if (!applied) {
    auto rollback = db_->Prepare("ROLLBACK TO request");
    if (!rollback) return rollback.error();
    KURA_TRY((*rollback)->Run());
  }
  auto release = db_->Prepare("RELEASE request");
  if (!release) return release.error();
  KURA_TRY((*release)->Run());
  return applied;
}

void GroupCommitter::RunBatch(std::vector<Request>& batch) {
  std::vector<Result<void>> results;
  bool can_release = static_cast<bool>(release_space_);
  auto started = std::chrono::steady_clock::now();
  Result<void> commit = Attempt(batch, results, can_release);
  if (IsFull(commit) && can_release) {
    // Once more, whether or not space came back: without the ballast the requests that did fit
    // still commit, and only those that did not fail.
    bool released = release_space_();
    LogLine(LogLevel::kWarning,
            std::string("store: the file system is full; ") +
                (released ? "released the metadata ballast and retrying"
                          : "no ballast left to release; retrying") +
                " a batch of " + std::to_string(batch.size()) + " writes");
    results.clear();
    commit = Attempt(batch, results, false);
  }
  if (!commit && commit_io_error_ && !fenced_) {
    LogLine(LogLevel::kError, "store: metadata commit failed, " + std::to_string(batch.size()) +
                                  " writes not done: " + commit.error().message);
    if (!SealFailedCommit()) {
      fenced_ = true;
      LogLine(LogLevel::kError,
              "store: the database's device refuses writes; metadata writes are refused until "
              "kura restarts (check the device and the kernel log first)");
    }
  }
  if (commit && on_commit_) on_commit_(std::chrono::steady_clock::now() - started, batch.size());
  generation_.fetch_add(1, std::memory_order_release);
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!commit) {
      batch[i].complete(commit.error());
    } else {
      batch[i].complete(std::move(results[i]));
    }
  }
}

Result<void> GroupCommitter::Attempt(std::vector<Request>& batch,
                                     std::vector<Result<void>>& results, bool abandon_if_full) {
  if (fenced_) {
    return MakeError(ErrorCode::kInternalError,
                     "metadata writes stopped after an I/O error on the database; restart kura");
  }
  results.reserve(batch.size());
  Result<void> commit = db_->Exec("BEGIN IMMEDIATE");
  for (auto& request : batch) {
    if (!commit) break;
    results.push_back(ApplyInSavepoint(request));
    // A request that found no room: the whole batch is run again once there is some, so
    // nothing of this try may commit (the others would be applied twice).
    if (abandon_if_full && IsFull(results.back())) commit = results.back().error();
  }
  commit_io_error_ = false;
  if (commit) {
    if (hook_) hook_(CommitPhase::kBeforeCommit);
    commit = db_->Exec("COMMIT");
    // Only an I/O error leaves committed-looking frames behind (BUSY and the like do not).
    commit_io_error_ = !commit && (sqlite3_extended_errcode(db_->raw()) & 0xff) == SQLITE_IOERR;
  }
  // A failed COMMIT may or may not have ended the transaction (SQLite: "Response To Errors
  // Within A Transaction").
  if (!commit && sqlite3_get_autocommit(db_->raw()) == 0) (void)db_->Exec("ROLLBACK");
  if (commit && hook_) hook_(CommitPhase::kAfterCommit);
  return commit;
}

bool GroupCommitter::SealFailedCommit() {
  // Rewriting the schema cookie's neighbour, user_version, with its own value dirties page 1:
  // a one-frame transaction written where the failed one began.
  std::string set;
  {
    auto version = db_->Prepare("PRAGMA user_version");
    if (!version) return false;
    auto row = (*version)->Step();
    if (!row || !*row) return false;
    set = "PRAGMA user_version=" + std::to_string((*version)->Int(0));
  }
  Result<void> sealed = db_->Exec(("BEGIN IMMEDIATE; " + set + "; COMMIT").c_str());
  if (!sealed && sqlite3_get_autocommit(db_->raw()) == 0) (void)db_->Exec("ROLLBACK");
  if (!sealed) LogLine(LogLevel::kError, "store: sealing the failed commit failed: " + sealed.error().message);
  return static_cast<bool>(sealed);
}

}  // namespace kura::store::sqlite
