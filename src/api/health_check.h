// The node's health check for load balancers (docs/scale-out.md): an unsigned GET or HEAD of
// exactly /_kura/health on a path-style host answers 200 "ok" while the node serves, and 503
// "stale" while its configuration may be stale (node/config_follower.h: a node cut off from the
// shared PostgreSQL, which refuses what it would authorize), so a load balancer takes it out of
// rotation and puts it back once it follows again. Everything else is handed on to the request
// pipeline untouched. `_kura` can be no bucket's name (bucket names begin with a lower-case letter
// or digit), so the path takes nothing from S3; on a virtual-hosted bucket's host it is that
// bucket's object key and goes to the pipeline. The check is neither audited nor counted in the
// request metrics: a balancer polls it every few seconds.
// Thread-safety: one router serves every connection of its listener; `stale` must be thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "http/exchange.h"

namespace kura::api {

namespace net = boost::asio;

inline constexpr std::string_view kHealthPath = "/_kura/health";

// Whether `head` is the health check (see above); `domain` is --domain ("" = path-style only).
bool IsHealthCheck(const RequestHead& head, std::string_view domain);

class HealthCheckRouter final : public http::Handler {
 public:
  // `api` answers everything else and must outlive the router. `stale` (may be empty: never)
  // tells whether the node's configuration may be stale.
  HealthCheckRouter(std::string domain, std::function<bool()> stale, http::Handler& api);

  net::awaitable<void> Handle(http::Exchange& exchange) override;
  net::awaitable<void> HandleProtocolError(http::Exchange& exchange, const Error& error) override;

 private:
  const std::string domain_;
  const std::function<bool()> stale_;
  http::Handler& api_;
};

}  // namespace kura::api
