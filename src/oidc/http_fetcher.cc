#include "oidc/http_fetcher.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <optional>

namespace kura::oidc {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
constexpr auto kTuple = net::as_tuple(net::use_awaitable);

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;  // with query
};

Error Unreachable(std::string_view url, std::string_view why) {
  return MakeError(ErrorCode::kIDPCommunicationError,
                   "Could not fetch " + std::string(url) + ": " + std::string(why));
}

std::optional<Target> ParseTarget(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || parsed->has_userinfo() || parsed->has_fragment()) return std::nullopt;
  Target t;
  if (parsed->scheme() == "https") {
    t.tls = true;
  } else if (parsed->scheme() != "http") {
    return std::nullopt;
  }
  t.host = std::string(parsed->encoded_host_address());
  if (t.host.size() > 2 && t.host.front() == '[') t.host = t.host.substr(1, t.host.size() - 2);
  if (t.host.empty()) return std::nullopt;
  t.port = parsed->has_port() ? std::string(parsed->port()) : (t.tls ? "443" : "80");
  t.path = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  if (parsed->has_query()) t.path += "?" + std::string(parsed->encoded_query());
  return t;
}

template <typename Stream>
net::awaitable<Result<std::string>> Exchange(Stream& stream, const Target& t, size_t max_bytes) {
  http::request<http::empty_body> request{http::verb::get, t.path, 11};
  request.set(http::field::host, t.host);
  request.set(http::field::user_agent, "kura-oidc");
  request.set(http::field::accept, "application/json");
  auto [write_ec, written] = co_await http::async_write(stream, request, kTuple);
  if (write_ec) co_return MakeError(ErrorCode::kIDPCommunicationError, write_ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_bytes);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kTuple);
  if (read_ec) co_return MakeError(ErrorCode::kIDPCommunicationError, read_ec.message());
  if (parser.get().result() != http::status::ok) {
    co_return MakeError(ErrorCode::kIDPCommunicationError,
                        "HTTP status " + std::to_string(parser.get().result_int()));
  }
  co_return std::move(parser.get().body());
}

net::awaitable<Result<std::string>> Fetch(Target t, net::ssl::context* tls, size_t max_bytes,
                                          std::chrono::milliseconds timeout) {
  auto ex = co_await net::this_coro::executor;
  tcp::resolver resolver(ex);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(t.host, t.port, kTuple);
  if (resolve_ec) co_return MakeError(ErrorCode::kIDPCommunicationError, resolve_ec.message());
  if (!t.tls) {
    beast::tcp_stream stream(ex);
    stream.expires_after(timeout);
    auto [ec, ep] = co_await stream.async_connect(endpoints, kTuple);
    if (ec) co_return MakeError(ErrorCode::kIDPCommunicationError, ec.message());
    co_return co_await Exchange(stream, t, max_bytes);
  }
  beast::ssl_stream<beast::tcp_stream> stream(ex, *tls);
  beast::get_lowest_layer(stream).expires_after(timeout);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str())) {
    co_return MakeError(ErrorCode::kIDPCommunicationError, "cannot set SNI");
  }
  stream.set_verify_callback(net::ssl::host_name_verification(t.host));
  auto [ec, ep] = co_await beast::get_lowest_layer(stream).async_connect(endpoints, kTuple);
  if (ec) co_return MakeError(ErrorCode::kIDPCommunicationError, ec.message());
  auto [hs_ec] = co_await stream.async_handshake(net::ssl::stream_base::client, kTuple);
  if (hs_ec) co_return MakeError(ErrorCode::kIDPCommunicationError, hs_ec.message());
  co_return co_await Exchange(stream, t, max_bytes);
}

std::optional<net::ssl::context> ClientTlsContext(const FetcherConfig& config) {
  net::ssl::context ctx(net::ssl::context::tls_client);
  boost::system::error_code ec;
  ctx.set_default_verify_paths(ec);
  if (!config.extra_ca_file.empty()) ctx.load_verify_file(config.extra_ca_file, ec);
  if (ec) return std::nullopt;
  ctx.set_verify_mode(net::ssl::verify_peer);
  return ctx;
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  auto address = net::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

Result<std::string> BeastHttpFetcher::Get(std::string_view url, size_t max_bytes) const {
  auto target = ParseTarget(url);
  if (!target) return Unreachable(url, "not an http(s) URL");
  if (!target->tls && !IsLoopbackHost(target->host)) {
    return Unreachable(url, "plain HTTP is allowed to loopback hosts only");
  }
  std::optional<net::ssl::context> tls;
  if (target->tls) {
    tls = ClientTlsContext(config_);
    if (!tls) return Unreachable(url, "cannot load the CA certificates");
  }
  std::optional<Result<std::string>> result;
  net::io_context io;  // destroyed first: a timed-out fetch is abandoned with it
  auto run = [&]() -> net::awaitable<void> {
    result = co_await Fetch(std::move(*target), tls ? &*tls : nullptr, max_bytes, config_.timeout);
  };
  net::co_spawn(io, run(), [&result](std::exception_ptr e) {
    if (e) result = MakeError(ErrorCode::kIDPCommunicationError, "fetch failed");
  });
  io.run_for(config_.timeout + std::chrono::milliseconds(500));
  if (!result) return Unreachable(url, "timed out");
  if (!*result) return Unreachable(url, result->error().message);
  return std::move(*result);
}

}  // namespace kura::oidc
