// The HTTP/1.1 server: one acceptor, one io_context run by N threads, one coroutine per
// connection on its own strand (Boost.Beast's awaitable server pattern). Transport only: every
// request goes to the Handler. Keep-alive, optional TLS, header size cap, idle/header/body timeouts
// that free stalled connections. A cap on open connections keeps the process below its
// open-file limit: a connection beyond it is answered 503 SlowDown (through the Handler) and
// closed, and accept(2) failing for want of descriptors pauses the acceptor instead of spinning.
// More listeners (the console's, --console-listen) may be added before Run: each has its own
// acceptor and Handler but shares the io_context, its threads, TLS detection and the connection
// cap, so a second port costs one socket, not a second server.
// Thread-safety: Open and AddListener before Run; Run blocks and may be stopped from any thread.
#pragma once

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/error.h"
#include "http/exchange.h"
#include "http/trusted_proxies.h"

namespace kura::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 9000;
  int threads = 0;  // 0: one per core
  int max_connections = 0;  // connections served at once; 0: no cap (see ConnectionCap)
  std::optional<std::filesystem::path> tls_cert;
  std::optional<std::filesystem::path> tls_key;
  // Load balancers whose X-Forwarded-For names the client (http/trusted_proxies.h); empty: none.
  TrustedProxies trusted_proxies;
};

// The connection cap for a process that may open `open_file_limit` files (RLIMIT_NOFILE's soft
// limit): `configured` (0 = as many as fit), but never more than fit beside the files the
// process keeps (limits::kReservedFileDescriptors, kFileDescriptorsPerConnection); at least 1.
int ConnectionCap(int configured, uint64_t open_file_limit);

class Server {
 public:
  // Binds the listening socket (fails fast on a bad address or port in use).
  static Result<std::unique_ptr<Server>> Open(const ServerConfig& config, Handler& handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds another listening socket whose requests go to `handler` (which must outlive the
  // server). Before Run. Returns the bound port (useful with port 0).
  Result<uint16_t> AddListener(const std::string& host, uint16_t port, Handler& handler);

  uint16_t port() const;  // the first listener's bound port (useful with port 0)
  int open_connections() const;  // connections open now, on every listener
  net::io_context& io_context();
  void Run();   // serves until Stop
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kura::http
