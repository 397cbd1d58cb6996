#include "store/sqlite/read_pool.h"

namespace kura::store::sqlite {

Result<ReadPool::Lease> ReadPool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Db> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(db));
    }
  }
  auto db = Db::Open(file_);
  if (!db) return db.error();
  return Lease(*this, std::move(db).value());
}

void ReadPool::Return(std::unique_ptr<Db> db) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(db));
}

}  // namespace kura::store::sqlite
