#include "store/postgres/pg_writer_pool.h"

#include <charconv>
#include <chrono>
#include <string>

namespace kura::store::postgres {
namespace {

// txid_current() as Query returns it: decimal text.
Result<int64_t> ParseTxid(std::string_view text) {
  int64_t txid = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), txid);
  if (error != std::errc() || end != text.data() + text.size()) {
    return MakeError(ErrorCode::kInternalError, "PostgreSQL: bad transaction id");
  }
  return txid;
}

}  // namespace

PgWriterPool::PgWriterPool(PgSettings settings, size_t threads,
                           std::function<void()> before_commit)
    : settings_(std::move(settings)), before_commit_(std::move(before_commit)) {
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

PgWriterPool::~PgWriterPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void PgWriterPool::Submit(Apply apply, Complete complete) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back({std::move(apply), std::move(complete)});
  }
  wake_.notify_one();
}

void PgWriterPool::Run() {
  std::unique_ptr<PgConnection> conn;
  while (true) {
    Request request;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every queued write is done
      request = std::move(queue_.front());
      queue_.pop_front();
    }
    Result<void> result = Transact(conn, request);
    if (conn && (conn->broken() || conn->in_transaction())) conn.reset();
    request.complete(std::move(result));
  }
}

Result<int64_t> PgWriterPool::Begin(std::unique_ptr<PgConnection>& conn) {
  // An idle connection may have been closed by the server meanwhile; nothing of the write has
  // been sent yet, so BEGIN is retried once on a new connection.
  for (int attempt = 0;; ++attempt) {
    if (!conn || conn->broken()) {
      auto opened = PgConnection::Connect(settings_);
      if (!opened) return opened.error();
      conn = std::move(opened).value();
    }
    auto begun = conn->Query("BEGIN; SELECT txid_current()");
    if (begun) return ParseTxid(begun->row(0).Bytes(0));
    if (!conn->broken() || attempt == 1) return begun.error();
    conn.reset();
  }
}

Result<void> PgWriterPool::Transact(std::unique_ptr<PgConnection>& conn, Request& request) {
  auto txid = Begin(conn);
  if (!txid) return txid.error();
  Result<void> applied = request.apply(*conn);
  if (!applied) {
    if (!conn->broken()) (void)conn->Run("ROLLBACK");
    return applied;
  }
  if (before_commit_) before_commit_();
  Result<void> committed = conn->Run("COMMIT");
  if (committed || !conn->broken()) return committed;
  return ResolveCommit(*txid, committed.error());
}

Result<void> PgWriterPool::ResolveCommit(int64_t txid, const Error& lost) {
  static const std::string kStatus = "SELECT coalesce(txid_status($1), '')::bytea";
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
    auto conn = PgConnection::Connect(settings_);
    if (!conn) continue;
    auto status = (*conn)->Exec(kStatus, PgParams().Int(txid));
    if (!status) continue;
    std::string_view answer = status->row(0).Bytes(0);
    if (answer == "committed") return Ok();
    if (answer == "aborted") return lost;
    // "in progress": the server has not yet noticed its client is gone.
  }
  return MakeError(ErrorCode::kServiceUnavailable,
                   "PostgreSQL COMMIT's outcome unknown (" + lost.message + ")");
}

}  // namespace kura::store::postgres
