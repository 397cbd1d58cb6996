// The HTTP/1.1 server: one acceptor, one io_context run by N threads, one coroutine per
// connection on its own strand (Boost.Beast's awaitable server pattern). Transport only: every
// request goes to the Handler. Keep-alive, optional TLS, header size cap, idle/header/body timeouts
// that free stalled connections. Thread-safety: Run blocks and may be stopped from any thread.
#pragma once

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/error.h"
#include "http/exchange.h"

namespace kura::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 9000;
  int threads = 0;  // 0: one per core
  std::optional<std::filesystem::path> tls_cert;
  std::optional<std::filesystem::path> tls_key;
};

class Server {
 public:
  // Binds the listening socket (fails fast on a bad address or port in use).
  static Result<std::unique_ptr<Server>> Open(const ServerConfig& config, Handler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;  // the bound port (useful with port 0)
  net::io_context& io_context();
  void Run();   // serves until Stop
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kura::http
