#include "console/console_router.h"

#include <utility>

namespace kura::console {
namespace {
using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kAssetsPrefix = "/assets/";
// Only the console's own origin, for everything; no inline script or style (a reflected string
// cannot run), no plugins, no <base> rewrites, forms post here only, and no page may frame it.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";
constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// Whether the query string names one of the parameters that sign a presigned URL.
bool HasSignatureParameter(std::string_view query) {
  static constexpr std::string_view kSigning[] = {"X-Amz-Signature", "X-Amz-Credential",
                                                  "Signature", "AWSAccessKeyId"};
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    std::string_view name = pair.substr(0, pair.find('='));
    for (std::string_view signing : kSigning) {
      if (name == signing) return true;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

// Whether the client's If-None-Match lists `etag` (or is "*").
bool Matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty()) return false;
  if (if_none_match == "*") return true;
  while (!if_none_match.empty()) {
    size_t comma = if_none_match.find(',');
    std::string_view candidate = if_none_match.substr(0, comma);
    while (!candidate.empty() && candidate.front() == ' ') candidate.remove_prefix(1);
    while (!candidate.empty() && candidate.back() == ' ') candidate.remove_suffix(1);
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);  // weak comparison (RFC 9110 13.1.2)
    if (candidate == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

// One console answer: `body` with its type, or only the head for HEAD (its length as GET's).
net::awaitable<int> Answer(http::Exchange& exchange, ResponseHead head, std::string_view body) {
  int status = static_cast<int>(head.status);
  auto sent = co_await http::RespondOrHead(exchange, std::move(head), body);
  (void)sent;  // a client gone before its answer: nothing to do
  co_return status;
}

ResponseHead ConsoleHead(bhttp::status status, std::string_view content_type,
                         std::string_view cache_control) {
  ResponseHead head;
  head.status = status;
  SetSecurityHeaders(head);
  head.fields.set(bhttp::field::content_type, content_type);
  head.fields.set(bhttp::field::cache_control, cache_control);
  return head;
}

// Heads passed to coroutines are named: GCC 12 destroys a class prvalue passed to a coroutine
// call twice (see http/connection.cc).
net::awaitable<int> NotFoundAnswer(http::Exchange& exchange) {
  ResponseHead head = ConsoleHead(bhttp::status::not_found, "text/plain; charset=utf-8", "no-store");
  co_return co_await Answer(exchange, std::move(head), "Not Found\n");
}
}  // namespace

bool IsSignedRequest(const RequestHead& head) {
  if (head.HasHeader("authorization")) return true;
  std::string_view target = head.target;
  size_t q = target.find('?');
  return q != std::string_view::npos && HasSignatureParameter(target.substr(q + 1));
}

ConsoleRoute RouteConsoleRequest(const RequestHead& head) {
  if (head.method != bhttp::verb::get && head.method != bhttp::verb::head) return {};
  if (IsSignedRequest(head)) return {};
  std::string_view target = head.target;
  std::string_view path = target.substr(0, target.find('?'));
  if (path == "/") return {ConsoleTarget::kIndex, "index.html"};
  if (path == "/metrics") return {ConsoleTarget::kMetrics, {}};
  if (path.starts_with(kAssetsPrefix)) {
    return {ConsoleTarget::kAsset, path.substr(kAssetsPrefix.size())};
  }
  return {};
}

void SetSecurityHeaders(ResponseHead& head) {
  head.fields.set("Content-Security-Policy", kContentSecurityPolicy);
  head.fields.set("X-Content-Type-Options", "nosniff");
  head.fields.set("Referrer-Policy", "no-referrer");
  head.fields.set("X-Frame-Options", "DENY");
  head.fields.set("Cross-Origin-Opener-Policy", "same-origin");
  head.fields.set("Cross-Origin-Resource-Policy", "same-origin");
  head.fields.set(bhttp::field::server, "kura");
}

ConsoleRouter::ConsoleRouter(ConsoleOptions options, http::Handler& api)
    : options_(std::move(options)), api_(api) {}

net::awaitable<void> ConsoleRouter::Handle(http::Exchange& exchange) {
  ConsoleRoute route = RouteConsoleRequest(exchange.request());
  if (route.target == ConsoleTarget::kApi) {
    co_await api_.Handle(exchange);
    co_return;
  }
  auto started = SteadyClock::now();
  int status = 0;
  std::string_view operation;
  switch (route.target) {
    case ConsoleTarget::kIndex:
      operation = "Index";
      status = co_await ServeAsset(exchange, route.asset_path, "no-store");
      break;
    case ConsoleTarget::kAsset:
      operation = "Asset";
      status = co_await ServeAsset(exchange, route.asset_path, "no-cache");
      break;
    case ConsoleTarget::kMetrics:
      operation = "Metrics";
      status = co_await ServeMetrics(exchange);
      break;
    case ConsoleTarget::kApi: break;  // handled above
  }
  if (options_.observe) options_.observe(operation, status, SteadyClock::now() - started);
}

net::awaitable<void> ConsoleRouter::HandleProtocolError(http::Exchange& exchange, const Error& error) {
  co_await api_.HandleProtocolError(exchange, error);
}

net::awaitable<int> ConsoleRouter::ServeAsset(http::Exchange& exchange, std::string_view path,
                                              std::string_view cache_control) {
  auto asset = options_.assets->Find(path);
  if (!asset) co_return co_await NotFoundAnswer(exchange);
  std::string_view type = ContentTypeFor(path);
  if (Matches(exchange.request().Header("if-none-match"), asset->etag)) {
    ResponseHead head = ConsoleHead(bhttp::status::not_modified, type, cache_control);
    head.fields.set(bhttp::field::etag, asset->etag);
    auto sent = co_await exchange.WriteHead(std::move(head), 0);
    (void)sent;
    co_return 304;
  }
  ResponseHead head = ConsoleHead(bhttp::status::ok, type, cache_control);
  head.fields.set(bhttp::field::etag, asset->etag);
  co_return co_await Answer(exchange, std::move(head), asset->bytes());
}

net::awaitable<int> ConsoleRouter::ServeMetrics(http::Exchange& exchange) {
  if (!options_.metrics_page) co_return co_await NotFoundAnswer(exchange);
  std::string page = options_.metrics_page();
  ResponseHead head = ConsoleHead(bhttp::status::ok, kMetricsContentType, "no-store");
  co_return co_await Answer(exchange, std::move(head), page);
}

}  // namespace kura::console
