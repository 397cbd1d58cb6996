#include "api/health_check.h"

#include <utility>

#include "common/virtual_host.h"

namespace kura::api {

bool IsHealthCheck(const RequestHead& head, std::string_view domain) {
  if (head.method != bhttp::verb::get && head.method != bhttp::verb::head) return false;
  std::string_view target = head.target;
  if (target.substr(0, target.find('?')) != kHealthPath) return false;
  if (head.HasHeader("authorization")) return false;  // a signed request is the pipeline's
  return BucketFromHost(head.Header("host"), domain).empty();
}

HealthCheckRouter::HealthCheckRouter(std::string domain, std::function<bool()> stale,
                                     http::Handler& api)
    : domain_(std::move(domain)), stale_(std::move(stale)), api_(api) {}

net::awaitable<void> HealthCheckRouter::Handle(http::Exchange& exchange) {
  if (!IsHealthCheck(exchange.request(), domain_)) {
    co_await api_.Handle(exchange);
    co_return;
  }
  bool stale = stale_ && stale_();
  std::string_view body = stale ? "stale\n" : "ok\n";
  ResponseHead head;
  head.status = stale ? bhttp::status::service_unavailable : bhttp::status::ok;
  head.fields.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  head.fields.set(bhttp::field::cache_control, "no-store");
  head.fields.set(bhttp::field::server, "kura");
  auto sent = co_await http::RespondOrHead(exchange, std::move(head), body);
  (void)sent;  // a client gone before its answer: nothing to do
}

net::awaitable<void> HealthCheckRouter::HandleProtocolError(http::Exchange& exchange,
                                                            const Error& error) {
  co_await api_.HandleProtocolError(exchange, error);
}

}  // namespace kura::api
