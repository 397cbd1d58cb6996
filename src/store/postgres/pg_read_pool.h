// A bounded pool of read connections: a blocking read borrows one (opening it when none is idle
// and fewer than `capacity` exist, else waiting for one to come back), so concurrent readers
// never share a connection and each keeps its prepared statements. A connection that came back
// broken (or still inside a transaction) is dropped; the next borrower opens a new one, which is
// how the pool reconnects.
// Thread-safety: thread-safe; a lease is used by one thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "store/postgres/pg_connection.h"

namespace kura::store::postgres {

class PgReadPool {
 public:
  PgReadPool(PgSettings settings, size_t capacity)
      : settings_(std::move(settings)), capacity_(capacity) {}
  PgReadPool(const PgReadPool&) = delete;
  PgReadPool& operator=(const PgReadPool&) = delete;

  class Lease {
   public:
    Lease(PgReadPool& pool, std::unique_ptr<PgConnection> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    ~Lease() {
      if (conn_) pool_->Return(std::move(conn_));
    }
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    PgConnection& operator*() const { return *conn_; }
    PgConnection* operator->() const { return conn_.get(); }

   private:
    PgReadPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  // kServiceUnavailable when a new connection cannot be opened.
  Result<Lease> Acquire();

 private:
  void Return(std::unique_ptr<PgConnection> conn);

  const PgSettings settings_;
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mu_
  size_t open_ = 0;                                  // guarded by mu_: idle and leased
};

}  // namespace kura::store::postgres
