// A pool of read connections: each blocking read borrows one (opening a new one when none is
// idle), so concurrent readers never share a connection and each connection's prepared
// statements stay cached for its life. In WAL mode readers never block the writer.
// Thread-safety: thread-safe; a lease is used by one thread.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/db.h"

namespace kura::store::sqlite {

class ReadPool {
 public:
  explicit ReadPool(std::filesystem::path file) : file_(std::move(file)) {}

  class Lease {
   public:
    Lease(ReadPool& pool, std::unique_ptr<Db> db) : pool_(&pool), db_(std::move(db)) {}
    ~Lease() {
      if (db_) pool_->Return(std::move(db_));
    }
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Db& operator*() const { return *db_; }
    Db* operator->() const { return db_.get(); }

   private:
    ReadPool* pool_;
    std::unique_ptr<Db> db_;
  };

  Result<Lease> Acquire();

 private:
  void Return(std::unique_ptr<Db> db);

  std::filesystem::path file_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Db>> idle_;  // guarded by mu_
};

}  // namespace kura::store::sqlite
