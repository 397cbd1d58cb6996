#include "store/postgres/pg_read_pool.h"

namespace kura::store::postgres {

Result<PgReadPool::Lease> PgReadPool::Acquire() {
  {
    std::unique_lock lock(mu_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < capacity_; });
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
    ++open_;  // reserved; connecting happens outside the lock
  }
  auto conn = PgConnection::Connect(settings_);
  if (!conn) {
    std::lock_guard lock(mu_);
    --open_;
    returned_.notify_one();
    return conn.error();
  }
  return Lease(*this, std::move(conn).value());
}

void PgReadPool::Return(std::unique_ptr<PgConnection> conn) {
  std::lock_guard lock(mu_);
  if (conn->broken() || conn->in_transaction()) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  returned_.notify_one();
}

}  // namespace kura::store::postgres
