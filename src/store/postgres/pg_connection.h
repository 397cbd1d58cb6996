// One libpq connection (https://www.postgresql.org/docs/15/libpq.html) and the typed values that
// cross it. Every parameter and every result column travels in binary: strings as bytea (object
// keys may hold any byte, NUL included, which a PostgreSQL text value cannot), integers as int8.
// Statements are prepared once per connection and cached by their SQL text. Every call waits for
// its answer at most PgSettings::reply_timeout_ms (poll on the socket), never forever.
// Errors: a lost connection (the server closed it, a backend was terminated, the network timed
// out) or a transient refusal (deadlock, timeout, too many connections) is kServiceUnavailable,
// which the S3 layer answers 503 so that clients retry; anything else is kInternalError. After a
// lost connection broken() is true and the owner drops the connection; the next use opens anew.
// Thread-safety: one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.h"

namespace kura::store::postgres {

// How to reach the server and how long to wait for it.
struct PgSettings {
  std::string url{};  // a libpq connection URI, postgresql://…
  int connect_timeout_seconds = 5;
  // Server side: a statement (a lock wait included) running longer fails (kServiceUnavailable).
  int statement_timeout_ms = 30000;
  // Client side: unacknowledged data on the socket for this long drops the connection, so a
  // vanished server or network fails a call instead of hanging it.
  int tcp_user_timeout_ms = 10000;
  // Client side: a call whose answer has not come within this fails (kServiceUnavailable) and
  // drops the connection. It bounds what TCP cannot see: a server, or something in between, that
  // takes the bytes but never answers (a stopped process, a proxy cut off upstream), which
  // enforces no statement_timeout. 0: statement_timeout_ms plus 5 s.
  int reply_timeout_ms = 0;
};

// The parameters of one statement, $1, $2… in the order added.
class PgParams {
 public:
  PgParams& Bytes(std::string_view value);
  PgParams& Int(int64_t value);

  int size() const { return static_cast<int>(values_.size()); }
  const std::vector<Oid>& types() const { return types_; }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<Oid> types_;
  std::vector<std::string> values_;  // binary wire form
};

// One row of a result; columns by index.
class PgRow {
 public:
  PgRow(const PGresult* result, int row) : result_(result), row_(row) {}
  bool IsNull(int column) const;
  std::string_view Bytes(int column) const;  // bytea (or text): the raw bytes; "" for NULL
  int64_t Int(int column) const;             // int2, int4 or int8; 0 for NULL
  bool Bool(int column) const;               // bool; false for NULL

 private:
  const PGresult* result_;
  int row_;
};

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  PgRow row(int index) const { return PgRow(result_.get(), index); }
  const PGresult* raw() const { return result_.get(); }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

class PgConnection {
 public:
  // Connects and applies the session settings; kServiceUnavailable when no connection can be
  // made (server unreachable, authentication refused, malformed URL: libpq tells them apart
  // only in its message, which the error carries).
  static Result<std::unique_ptr<PgConnection>> Connect(const PgSettings& settings);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement (prepared on first use) and returns its rows.
  Result<PgResult> Exec(const std::string& sql, const PgParams& params = {});
  // Runs `sql` as a simple query (several statements allowed, no parameters, no rows).
  Result<void> Run(const char* sql);
  // The same, returning the last statement's rows (in text form).
  Result<PgResult> Query(const char* sql);

  // The connection is lost; its owner drops it.
  bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  // Inside a transaction (or a failed one) that its user did not end: not fit to be reused.
  bool in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

 private:
  PgConnection(PGconn* conn, int reply_timeout_ms)
      : conn_(conn), reply_timeout_ms_(reply_timeout_ms) {}
  // The error of a failed `result` (may be null), naming `what`; marks the connection broken
  // when it is lost.
  Error Fail(const PGresult* result, std::string_view what);
  Result<const std::string*> Prepared(const std::string& sql, const PgParams& params);
  // After a PQsend…: waits (at most reply_timeout_ms_ in all) for every result of the query and
  // returns the first failed one, else the last, as PQexec does; the error of `what` when none
  // came in time (the connection is then broken: its answer may still arrive).
  Result<PgResult> Await(std::string_view what);
  // Whether `result` is a success; else its error, naming `what`.
  Result<PgResult> Checked(PgResult result, std::string_view what);

  PGconn* conn_;
  const int reply_timeout_ms_;
  bool broken_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

}  // namespace kura::store::postgres
