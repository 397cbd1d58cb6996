// The PostgreSQL of the store tests: ctest starts a private server (postgres_instance.sh, the
// fixture store_postgres) and passes its URL in KURA_TEST_POSTGRES_URL, with
// KURA_TEST_POSTGRES_REQUIRED=1 so that a missing server fails the tests. Run by hand without the
// variable, the PostgreSQL tests skip. Each test gets a schema of its own, with a random name,
// dropped at its end, so tests start empty and may run in parallel on one server.
#pragma once

#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "store/postgres/pg_connection.h"

namespace kura::store::testing {

inline std::optional<std::string> PostgresUrl() {
  const char* url = std::getenv("KURA_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

// Why the PostgreSQL tests skip, or nullopt when they run (or must, and fail without a server).
inline std::optional<std::string> PostgresSkipReason() {
  const char* required = std::getenv("KURA_TEST_POSTGRES_REQUIRED");
  if (PostgresUrl() || (required != nullptr && std::string(required) == "1")) return std::nullopt;
  return "KURA_TEST_POSTGRES_URL is not set; ctest sets it (tests/support/postgres_instance.sh)";
}

// `url` with an extra connection parameter.
inline std::string WithParameter(const std::string& url, const std::string& parameter) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

// An empty schema with a random name on the test server, dropped by the destructor.
class PostgresSchema {
 public:
  static Result<std::unique_ptr<PostgresSchema>> Create() {
    auto server = PostgresUrl();
    if (!server) return MakeError(ErrorCode::kServiceUnavailable, "KURA_TEST_POSTGRES_URL is not set");
    auto admin = postgres::PgConnection::Connect({.url = *server});
    if (!admin) return admin.error();
    std::random_device random;
    std::string name = "kura_test_" + std::to_string(random()) + "_" + std::to_string(random());
    KURA_TRY((*admin)->Run(("CREATE SCHEMA " + name).c_str()));
    return std::unique_ptr<PostgresSchema>(
        new PostgresSchema(*server, name, std::move(admin).value()));
  }
  ~PostgresSchema() { (void)admin_->Run(("DROP SCHEMA " + name_ + " CASCADE").c_str()); }

  const std::string& name() const { return name_; }
  // The server's URL with the schema first on the search path.
  std::string url() const { return WithParameter(server_, "options=-csearch_path%3D" + name_); }
  // A connection of the test's own, outside every store (search_path: the schema).
  postgres::PgConnection& admin() { return *admin_; }

 private:
  PostgresSchema(std::string server, std::string name, std::unique_ptr<postgres::PgConnection> admin)
      : server_(std::move(server)), name_(std::move(name)), admin_(std::move(admin)) {
    (void)admin_->Run(("SET search_path = " + name_).c_str());
  }

  std::string server_;
  std::string name_;
  std::unique_ptr<postgres::PgConnection> admin_;
};

}  // namespace kura::store::testing
