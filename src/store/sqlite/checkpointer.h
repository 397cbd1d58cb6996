// Moves WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside the
// committing call (copying pages and fsyncing the database file while every queued write
// waits); instead the write connection's WAL hook wakes this thread, which checkpoints
// PASSIVE-ly on its own connection (never blocking the writer or readers) once the WAL has grown
// past kCheckpointPages.
// Thread-safety: Attach() before the writer starts; the hook may fire on any thread.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite/db.h"

namespace kura::store::sqlite {

class Checkpointer {
 public:
  static constexpr int kCheckpointPages = 4096;  // 16 MiB of 4 KiB pages

  // Opens its own connection to `file`.
  static Result<std::unique_ptr<Checkpointer>> Open(const std::filesystem::path& file);
  // Checkpoints once more (TRUNCATE, so a clean shutdown leaves an empty WAL) and stops.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Installs the WAL hook on the write connection (replacing SQLite's auto-checkpoint).
  void Attach(Db& writer);

 private:
  explicit Checkpointer(std::unique_ptr<Db> db);
  static int OnWalCommit(void* self, sqlite3* db, const char* name, int pages);
  void Run();

  std::unique_ptr<Db> db_;  // checkpoint thread only
  std::mutex mu_;
  std::condition_variable wake_;
  bool pending_ = false;   // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace kura::store::sqlite
