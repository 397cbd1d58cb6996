#include "store/sqlite/group_commit.h"

namespace kura::store::sqlite {

GroupCommitter::GroupCommitter(std::unique_ptr<Db> db, std::function<void(CommitPhase)> hook)
    : db_(std::move(db)), hook_(std::move(hook)), writer_([this] { Run(); }) {}

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
  results.reserve(batch.size());
  Result<void> commit = db_->Exec("BEGIN IMMEDIATE");
  for (auto& request : batch) {
    if (!commit) break;
    results.push_back(ApplyInSavepoint(request));
  }
  if (commit) {
    if (hook_) hook_(CommitPhase::kBeforeCommit);
    commit = db_->Exec("COMMIT");
  }
  if (!commit) (void)db_->Exec("ROLLBACK");
  if (commit && hook_) hook_(CommitPhase::kAfterCommit);
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!commit) {
      batch[i].complete(commit.error());
    } else {
      batch[i].complete(std::move(results[i]));
    }
  }
}

}  // namespace kura::store::sqlite
