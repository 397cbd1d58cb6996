#include "store/postgres/pg_connection.h"

#include <poll.h>

#include <cerrno>
#include <chrono>
#include <string>

namespace kura::store::postgres {
namespace {

// Type OIDs of pg_type (catalog/pg_type.dat), fixed since PostgreSQL 7.
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;

uint64_t ReadBigEndian(const char* bytes, int length) {
  uint64_t value = 0;
  for (int i = 0; i < length; ++i) value = value << 8 | static_cast<unsigned char>(bytes[i]);
  return value;
}

// SQLSTATEs (https://www.postgresql.org/docs/15/errcodes-appendix.html) of a lost connection:
// class 08, and the backend ended by pg_terminate_backend, a crash or a shutdown.
bool MeansLostConnection(std::string_view state) {
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

// Refusals that another try may not meet: serialization failure, deadlock, lock or statement
// timeout, and insufficient resources (class 53: too many connections, out of memory…).
bool MeansTryAgain(std::string_view state) {
  return state == "40001" || state == "40P01" || state == "55P03" || state == "57014" ||
         state.starts_with("53");
}

std::string Trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

PgParams& PgParams::Bytes(std::string_view value) {
  types_.push_back(kByteaOid);
  values_.emplace_back(value);
  return *this;
}

PgParams& PgParams::Int(int64_t value) {
  std::string wire(8, '\0');
  auto bits = static_cast<uint64_t>(value);
  for (int i = 7; i >= 0; --i, bits >>= 8) wire[i] = static_cast<char>(bits & 0xFF);
  types_.push_back(kInt8Oid);
  values_.push_back(std::move(wire));
  return *this;
}

bool PgRow::IsNull(int column) const { return PQgetisnull(result_, row_, column) != 0; }

std::string_view PgRow::Bytes(int column) const {
  return std::string_view(PQgetvalue(result_, row_, column),
                          static_cast<size_t>(PQgetlength(result_, row_, column)));
}

int64_t PgRow::Int(int column) const {
  if (IsNull(column)) return 0;
  int length = PQgetlength(result_, row_, column);
  uint64_t bits = ReadBigEndian(PQgetvalue(result_, row_, column), length);
  switch (length) {  // sign-extend the narrower integer types
    case 2: return static_cast<int16_t>(bits);
    case 4: return static_cast<int32_t>(bits);
    default: return static_cast<int64_t>(bits);
  }
}

bool PgRow::Bool(int column) const {
  return !IsNull(column) && PQgetlength(result_, row_, column) == 1 &&
         PQgetvalue(result_, row_, column)[0] != 0;
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const PgSettings& settings) {
  // Later entries win: the URL (dbname, expanded) overrides these defaults.
  std::string connect_timeout = std::to_string(settings.connect_timeout_seconds);
  std::string tcp_user_timeout = std::to_string(settings.tcp_user_timeout_ms);
  const char* keywords[] = {"connect_timeout",    "tcp_user_timeout", "keepalives",
                            "keepalives_idle",    "keepalives_interval",
                            "keepalives_count",   "application_name", "dbname",
                            nullptr};
  const char* values[] = {connect_timeout.c_str(), tcp_user_timeout.c_str(), "1", "30", "10", "3",
                          "kura", settings.url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return MakeError(ErrorCode::kServiceUnavailable, "PostgreSQL: out of memory");
  int reply_timeout_ms = settings.reply_timeout_ms > 0 ? settings.reply_timeout_ms
                                                      : settings.statement_timeout_ms + 5000;
  std::unique_ptr<PgConnection> connection(new PgConnection(conn, reply_timeout_ms));
  // NOTICEs (e.g. "drop cascades to …") would go to stderr; kura logs what matters itself.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  if (PQstatus(conn) != CONNECTION_OK) {
    return MakeError(ErrorCode::kServiceUnavailable,
                     "cannot connect to PostgreSQL: " + Trimmed(PQerrorMessage(conn)));
  }
  // Whatever the server's defaults: commits are durable before they are acknowledged, the
  // write rules rely on READ COMMITTED (postgres_writes.cc), and nothing waits forever.
  std::string session = "SET synchronous_commit = on; "
                        "SET default_transaction_isolation = 'read committed'; "
                        "SET statement_timeout = " + std::to_string(settings.statement_timeout_ms);
  KURA_TRY(connection->Run(session.c_str()));
  return connection;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Error PgConnection::Fail(const PGresult* result, std::string_view what) {
  const char* field = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view state = field ? field : "";
  bool lost = PQstatus(conn_) != CONNECTION_OK || MeansLostConnection(state) ||
              (result == nullptr && state.empty());
  if (lost) broken_ = true;
  std::string message = "PostgreSQL " + std::string(what) + ": " +
                        Trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (message.ends_with(": ")) message += Trimmed(PQerrorMessage(conn_));
  ErrorCode code = lost || MeansTryAgain(state) ? ErrorCode::kServiceUnavailable
                                                 : ErrorCode::kInternalError;
  return MakeError(code, std::move(message));
}

Result<void> PgConnection::Run(const char* sql) {
  KURA_TRY(Query(sql));
  return Ok();
}

namespace {

bool Succeeded(const PGresult* result) {
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

Result<PgResult> PgConnection::Await(std::string_view what) {
  using std::chrono::steady_clock;
  auto deadline = steady_clock::now() + std::chrono::milliseconds(reply_timeout_ms_);
  PgResult kept(nullptr);
  while (true) {
    while (PQisBusy(conn_)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                        steady_clock::now());
      if (left.count() <= 0) {
        broken_ = true;
        return MakeError(ErrorCode::kServiceUnavailable,
                         "PostgreSQL " + std::string(what) + ": no answer within " +
                             std::to_string(reply_timeout_ms_) + " ms");
      }
      pollfd socket{PQsocket(conn_), POLLIN, 0};
      if (poll(&socket, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
        broken_ = true;
        return MakeError(ErrorCode::kServiceUnavailable, "PostgreSQL: poll failed");
      }
      if (PQconsumeInput(conn_) == 0) return Fail(nullptr, what);
    }
    PGresult* next = PQgetResult(conn_);
    if (next == nullptr) break;
    if (kept.raw() != nullptr && !Succeeded(kept.raw())) {
      PQclear(next);  // after a failure, PQexec too keeps the failure
    } else {
      kept = PgResult(next);
    }
  }
  return Checked(std::move(kept), what);
}

Result<PgResult> PgConnection::Checked(PgResult result, std::string_view what) {
  if (result.raw() != nullptr && Succeeded(result.raw())) return result;
  return Fail(result.raw(), what);
}

Result<PgResult> PgConnection::Query(const char* sql) {
  if (broken_) return MakeError(ErrorCode::kServiceUnavailable, "PostgreSQL connection lost");
  if (PQsendQuery(conn_, sql) == 0) return Fail(nullptr, sql);
  return Await(sql);
}

Result<const std::string*> PgConnection::Prepared(const std::string& sql, const PgParams& params) {
  auto found = prepared_.find(sql);
  if (found != prepared_.end()) return &found->second;
  std::string name = "kura" + std::to_string(prepared_.size());
  if (PQsendPrepare(conn_, name.c_str(), sql.c_str(), params.size(), params.types().data()) == 0) {
    return Fail(nullptr, "prepare");
  }
  auto prepared = Await("prepare");
  if (!prepared) return prepared.error();
  return &prepared_.emplace(sql, std::move(name)).first->second;
}

Result<PgResult> PgConnection::Exec(const std::string& sql, const PgParams& params) {
  if (broken_) return MakeError(ErrorCode::kServiceUnavailable, "PostgreSQL connection lost");
  auto name = Prepared(sql, params);
  if (!name) return name.error();
  int n = params.size();
  std::vector<const char*> values(n);
  std::vector<int> lengths(n);
  std::vector<int> formats(n, 1);
  for (int i = 0; i < n; ++i) {
    values[i] = params.values()[i].data();
    lengths[i] = static_cast<int>(params.values()[i].size());
  }
  if (PQsendQueryPrepared(conn_, (*name)->c_str(), n, values.data(), lengths.data(),
                          formats.data(), /*resultFormat=*/1) == 0) {
    return Fail(nullptr, "query");
  }
  return Await("query");
}

}  // namespace kura::store::postgres
