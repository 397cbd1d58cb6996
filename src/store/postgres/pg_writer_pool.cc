#include "store/postgres/pg_writer_pool.h"

namespace kura::store::postgres {

PgWriterPool::PgWriterPool(PgSettings settings, size_t threads) : settings_(std::move(settings)) {
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
    if (conn && conn->broken()) conn.reset();
    request.complete(std::move(result));
  }
}

Result<void> PgWriterPool::Begin(std::unique_ptr<PgConnection>& conn) {
  // An idle connection may have been closed by the server meanwhile; nothing of the write has
  // been sent yet, so BEGIN is retried once on a new connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!conn || conn->broken()) {
      auto opened = PgConnection::Connect(settings_);
      if (!opened) return opened.error();
      conn = std::move(opened).value();
    }
    Result<void> begun = conn->Run("BEGIN");
    if (begun || !conn->broken()) return begun;
    conn.reset();
    if (attempt == 1) return begun;
  }
  return Ok();
}

Result<void> PgWriterPool::Transact(std::unique_ptr<PgConnection>& conn, Request& request) {
  KURA_TRY(Begin(conn));
  Result<void> applied = request.apply(*conn);
  if (!applied) {
    if (!conn->broken()) (void)conn->Run("ROLLBACK");
    return applied;
  }
  return conn->Run("COMMIT");
}

}  // namespace kura::store::postgres
