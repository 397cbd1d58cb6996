#include "store/sqlite/db.h"

namespace kura::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr size_t kMaxAddresses = 256;

// SQLITE_FULL (the file system has no room for the WAL or the database) is the client's
// InsufficientStorage; every other failure is internal. The message (with the SQL) is for the log.
ErrorCode CodeFor(int rc) {
  return (rc & 0xff) == SQLITE_FULL ? ErrorCode::kInsufficientStorage : ErrorCode::kInternalError;
}

}  // namespace

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  // A zero-length blob, not NULL, for empty strings.
  sqlite3_bind_blob(stmt_, index, bytes.empty() ? "" : bytes.data(), static_cast<int>(bytes.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindView(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  return MakeError(CodeFor(rc),
                   std::string("sqlite step: ") + sqlite3_errmsg(db) + " in " + sqlite3_sql(stmt_));
}

Result<void> Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return row.error();
    if (!*row) return Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::string_view Statement::Blob(int column) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (bytes == nullptr) return {};
  return {bytes, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

Result<std::unique_ptr<Db>> Db::Open(const std::filesystem::path& file) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Db> db(new Db(raw));
  if (rc != SQLITE_OK) return db->LastError("open " + file.string());
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  KURA_TRY(
      db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"
               "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384;"));
  return db;
}

Result<std::unique_ptr<Db>> Db::OpenReadOnly(const std::filesystem::path& file) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<Db> db(new Db(raw));
  if (rc != SQLITE_OK) return db->LastError("open " + file.string());
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  KURA_TRY(db->Exec("PRAGMA temp_store=MEMORY; PRAGMA cache_size=-4096;"));
  return db;
}

Db::~Db() {
  by_address_.clear();
  cache_.clear();  // statements are finalized before the connection closes
  sqlite3_close(db_);
}

Result<void> Db::Exec(const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Ok();
  std::string text = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return MakeError(CodeFor(rc), "sqlite: " + text + " in " + sql);
}

Result<StatementLease> Db::Prepare(std::string_view sql) {
  auto known = by_address_.find(sql.data());
  if (known != by_address_.end() && known->second.first == sql) {
    return StatementLease(known->second.second);
  }
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return LastError("prepare " + std::string(sql));
    it = cache_.emplace(std::string(sql), std::make_unique<Statement>(stmt)).first;
  }
  if (by_address_.size() >= kMaxAddresses) by_address_.clear();  // SQL built at run time
  by_address_[sql.data()] = {it->first, it->second.get()};
  return StatementLease(it->second.get());
}

Error Db::LastError(std::string_view what) const {
  return MakeError(CodeFor(sqlite3_errcode(db_)),
                   std::string("sqlite ") + std::string(what) + ": " + sqlite3_errmsg(db_));
}

}  // namespace kura::store::sqlite
