#include "store/sqlite/checkpointer.h"

namespace kura::store::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Open(const std::filesystem::path& file) {
  auto db = Db::Open(file);
  if (!db) return db.error();
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(db).value()));
}

Checkpointer::Checkpointer(std::unique_ptr<Db> db)
    : db_(std::move(db)), thread_([this] { Run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_wal_checkpoint_v2(db_->raw(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

void Checkpointer::Attach(Db& writer) { sqlite3_wal_hook(writer.raw(), &OnWalCommit, this); }

int Checkpointer::OnWalCommit(void* self, sqlite3*, const char*, int pages) {
  auto* checkpointer = static_cast<Checkpointer*>(self);
  if (pages < kCheckpointPages) return SQLITE_OK;
  {
    std::lock_guard lock(checkpointer->mu_);
    checkpointer->pending_ = true;
  }
  checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::Run() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || pending_; });
      if (stopping_) return;
      pending_ = false;
    }
    sqlite3_wal_checkpoint_v2(db_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
}

}  // namespace kura::store::sqlite
