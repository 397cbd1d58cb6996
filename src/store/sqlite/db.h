// A thin RAII layer over one SQLite connection: errors as values, prepared statements cached per
// connection (prepared once, reused for the connection's life), and statement leases that reset
// on release so that no statement keeps a read transaction (and the WAL) pinned. A failure for
// want of space (SQLITE_FULL) is kInsufficientStorage, any other kInternalError; messages name
// the SQL and are for the server's log, never for a client.
// Thread-safety: a Db and its statements are used by one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/error.h"

namespace kura::store::sqlite {

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQL (?1, ?2…). Text and blobs are copied (SQLITE_TRANSIENT).
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  // Binds without copying: `text` must stay valid until the statement is reset (a lease's end).
  Statement& BindView(int index, std::string_view text);

  Result<bool> Step();  // true: a row is available
  Result<void> Run();   // steps to completion
  void Reset();         // resets and clears bindings

  // Columns are 0-based. Views are valid until the next Step/Reset.
  std::string_view Text(int column) const;
  std::string_view Blob(int column) const;
  int64_t Int(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

// A borrowed cached statement; resets it when it goes out of scope.
class StatementLease {
 public:
  explicit StatementLease(Statement* stmt) : stmt_(stmt) {}
  ~StatementLease() {
    if (stmt_) stmt_->Reset();
  }
  StatementLease(StatementLease&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  StatementLease& operator=(StatementLease&&) = delete;
  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }

 private:
  Statement* stmt_;
};

class Db {
 public:
  // Opens (creating if needed) with WAL, synchronous=FULL, foreign keys off, a busy timeout.
  static Result<std::unique_ptr<Db>> Open(const std::filesystem::path& file);
  // Opens an existing database read-only (for `kura scrub` beside a running server: in WAL mode
  // a reader needs no lock the writer holds). Never writes, creates or migrates the database;
  // SQLite may create its -wal and -shm files (with the database file's mode) when they are gone.
  static Result<std::unique_ptr<Db>> OpenReadOnly(const std::filesystem::path& file);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Result<void> Exec(const char* sql);  // one or more statements, no results
  // The cached prepared form of `sql` (prepared on first use).
  Result<StatementLease> Prepare(std::string_view sql);
  Error LastError(std::string_view what) const;
  sqlite3* raw() { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
  // The same statements by the address of the SQL text last used for them (checked against the
  // text): the queries are constants, so a cached Prepare neither copies nor hashes the SQL.
  std::unordered_map<const char*, std::pair<std::string_view, Statement*>> by_address_;
};

}  // namespace kura::store::sqlite
