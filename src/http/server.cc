#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <limits>
#include <thread>
#include <vector>

#include "common/limits.h"
#include "common/logging.h"
#include "http/accept_backoff.h"
#include "http/connection.h"

namespace kura::http {
namespace {
namespace beast = boost::beast;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

std::string RemoteAddress(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

// Counts a connection against the cap for as long as its session lives.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::atomic<int>& open) : open_(open) {}
  ~ConnectionSlot() { open_.fetch_sub(1, std::memory_order_relaxed); }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::atomic<int>& open_;
};

// Serves the connection, or, beyond the cap, answers SlowDown without reading a request.
template <class Stream>
net::awaitable<void> ServeOrRefuse(Stream& stream, beast::flat_buffer& buffer, Handler& handler,
                                   std::string remote, bool secure, bool over_cap,
                                   const TrustedProxies* vouching) {
  if (over_cap) {
    Error slow_down = MakeError(ErrorCode::kSlowDown);  // named: see the GCC 12 note in connection.cc
    co_await RefuseConnection(stream, buffer, handler, std::move(remote), secure, slow_down);
  } else {
    co_await ServeConnection(stream, buffer, handler, std::move(remote), secure, vouching);
  }
}

// One connection: detect TLS by its first bytes when TLS is configured, so one port serves
// both http:// and https:// (Beast's "flex" server). `slot` is null for a refused connection.
// `proxies`: the trusted proxies (null: none); a connection from one of them takes its requests'
// source addresses from X-Forwarded-For.
net::awaitable<void> Session(tcp::socket socket, ssl::context* tls, Handler& handler,
                             std::unique_ptr<ConnectionSlot> slot, const TrustedProxies* proxies) {
  bool over_cap = slot == nullptr;
  std::string remote = RemoteAddress(socket);
  const TrustedProxies* vouching = proxies != nullptr && proxies->Contains(remote) ? proxies : nullptr;
  socket.set_option(tcp::no_delay(true));
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  if (tls != nullptr) {
    stream.expires_after(limits::kRequestHeaderTimeout);
    auto [ec, is_tls] = co_await beast::async_detect_ssl(stream, buffer, kTuple);
    if (ec) co_return;
    if (is_tls) {
      beast::ssl_stream<beast::tcp_stream> tls_stream(std::move(stream), *tls);
      auto [hec, used] = co_await tls_stream.async_handshake(ssl::stream_base::server, buffer.data(), kTuple);
      if (hec) co_return;
      buffer.consume(used);
      co_await ServeOrRefuse(tls_stream, buffer, handler, std::move(remote), true, over_cap,
                             vouching);
      co_return;
    }
  }
  co_await ServeOrRefuse(stream, buffer, handler, std::move(remote), false, over_cap, vouching);
}

// Why a connection beyond the cap is accepted and answered rather than left in the backlog:
// connections idle in keep-alive hold their slots for up to kIdleTimeout, so a client left
// waiting would time out without being told; a 503 SlowDown is what AWS answers under load and
// what SDKs retry with backoff. The answer takes one descriptor for a moment; if even that is
// short, accept fails with EMFILE and the acceptor pauses (AcceptBackoff).
//
// Each connection runs on a strand when several threads run the io_context. With one thread the
// io_context itself serializes everything, and the strand would only add a queue, a lock and a
// type-erased dispatch to every completion, so connections then run on the io_context's
// executor directly (bench/README.md: about −10 % instructions per 4 KiB GET with --threads 1).
net::awaitable<void> Listen(tcp::acceptor& acceptor, ssl::context* tls, Handler& handler,
                            std::atomic<int>& open, int max_connections, bool one_thread,
                            const TrustedProxies* proxies) {
  AcceptBackoff backoff;
  net::steady_timer pause(acceptor.get_executor());
  for (;;) {
    net::any_io_executor connection_executor = acceptor.get_executor();
    if (!one_thread) connection_executor = net::make_strand(connection_executor);
    auto [ec, socket] = co_await acceptor.async_accept(connection_executor, kTuple);
    if (ec == net::error::operation_aborted) co_return;
    if (ec) {
      if (!IsResourceExhaustion(ec)) continue;  // e.g. ECONNABORTED: that client left
      if (backoff.AtStart()) {
        LogLine(LogLevel::kWarning, "http: accept failed (" + ec.message() + ") with " +
                                        std::to_string(open.load()) + " connections open; pausing accepts");
      }
      pause.expires_after(backoff.Next());
      co_await pause.async_wait(kTuple);
      continue;
    }
    backoff.Reset();
    std::unique_ptr<ConnectionSlot> slot;
    if (open.load(std::memory_order_relaxed) < max_connections) {
      open.fetch_add(1, std::memory_order_relaxed);
      slot = std::make_unique<ConnectionSlot>(open);
    }
    auto executor = socket.get_executor();
    net::co_spawn(executor, Session(std::move(socket), tls, handler, std::move(slot), proxies),
                  net::detached);
  }
}
}  // namespace

bool IsResourceExhaustion(const boost::system::error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  int e = ec.value();
  return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

int ConnectionCap(int configured, uint64_t open_file_limit) {
  uint64_t reserve = static_cast<uint64_t>(limits::kReservedFileDescriptors);
  uint64_t fit = open_file_limit > reserve
                     ? (open_file_limit - reserve) / limits::kFileDescriptorsPerConnection
                     : 1;
  fit = std::clamp<uint64_t>(fit, 1, std::numeric_limits<int>::max());
  if (configured <= 0) return static_cast<int>(fit);
  return static_cast<int>(std::min<uint64_t>(static_cast<uint64_t>(configured), fit));
}

namespace {
// A bound socket and where its requests go.
struct Listener {
  Listener(net::io_context& ioc, Handler& h) : acceptor(ioc), handler(h) {}
  tcp::acceptor acceptor;
  Handler& handler;
};

Result<void> Bind(tcp::acceptor& acceptor, const std::string& host, uint16_t port) {
  boost::system::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) return MakeError(ErrorCode::kInvalidArgument, "bad listen address: " + host);
  tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  }
  return Ok();
}
}  // namespace

struct Server::Impl {
  explicit Impl(int thread_count) : ioc(thread_count), threads(thread_count) {}
  net::io_context ioc;
  std::vector<std::unique_ptr<Listener>> listeners;  // [0]: the one Open bound
  std::optional<ssl::context> tls;
  int threads;
  int max_connections = std::numeric_limits<int>::max();
  std::atomic<int> open_connections{0};
  TrustedProxies trusted_proxies;
};

Result<std::unique_ptr<Server>> Server::Open(const ServerConfig& config, Handler& handler) {
  int threads = config.threads > 0 ? config.threads : static_cast<int>(std::thread::hardware_concurrency());
  auto impl = std::make_unique<Impl>(std::max(threads, 1));
  if (config.max_connections > 0) impl->max_connections = config.max_connections;
  impl->trusted_proxies = config.trusted_proxies;
  impl->listeners.push_back(std::make_unique<Listener>(impl->ioc, handler));
  KURA_TRY(Bind(impl->listeners.front()->acceptor, config.host, config.port));
  if (config.tls_cert && config.tls_key) {
    boost::system::error_code ec;
    impl->tls.emplace(ssl::context::tls_server);
    impl->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    impl->tls->use_certificate_chain_file(config.tls_cert->string(), ec);
    if (!ec) impl->tls->use_private_key_file(config.tls_key->string(), ssl::context::pem, ec);
    if (ec) return MakeError(ErrorCode::kInvalidArgument, "cannot load TLS certificate/key: " + ec.message());
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<uint16_t> Server::AddListener(const std::string& host, uint16_t port, Handler& handler) {
  auto listener = std::make_unique<Listener>(impl_->ioc, handler);
  KURA_TRY(Bind(listener->acceptor, host, port));
  uint16_t bound = listener->acceptor.local_endpoint().port();
  impl_->listeners.push_back(std::move(listener));
  return bound;
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

uint16_t Server::port() const { return impl_->listeners.front()->acceptor.local_endpoint().port(); }
net::io_context& Server::io_context() { return impl_->ioc; }

int Server::open_connections() const {
  return impl_->open_connections.load(std::memory_order_relaxed);
}

void Server::Run() {
  ssl::context* tls = impl_->tls ? &*impl_->tls : nullptr;
  for (auto& listener : impl_->listeners) {
    net::co_spawn(impl_->ioc,
                  Listen(listener->acceptor, tls, listener->handler, impl_->open_connections,
                         impl_->max_connections, impl_->threads == 1,
                         impl_->trusted_proxies.empty() ? nullptr : &impl_->trusted_proxies),
                  net::detached);
  }
  std::vector<std::thread> workers;
  for (int i = 1; i < impl_->threads; ++i) workers.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : workers) t.join();
}

void Server::Stop() { impl_->ioc.stop(); }

}  // namespace kura::http
