// The console listener's handler (--console-listen): the console's own pages and /metrics for
// unsigned GET and HEAD requests, everything else handed on to the request pipeline exactly as
// the S3 port would handle it. So the console page, served from this origin, makes its signed
// S3 (path-style /bucket/key), IAM and STS (POST /) calls to the same origin: no CORS.
//   unsigned GET|HEAD /                → index.html          (Cache-Control: no-store)
//   unsigned GET|HEAD /assets/PATH     → the file PATH        (no-cache: revalidated by ETag)
//   unsigned GET|HEAD /metrics         → the metrics page     (no-store)
//   anything else (a signature in the Authorization header or the query, another method or
//   path)                              → the pipeline
// "Unsigned" here means no SigV4/SigV2 signature anywhere: a signed GET / is ListBuckets, as on
// the S3 port. The console's answers carry a strict Content-Security-Policy (its own origin only,
// no framing), nosniff and no-referrer, so a page served here cannot be framed or made to load or
// send anything elsewhere. A bucket named "assets" or "metrics" is reached on this port by
// signed requests only (anonymous reads of it: the S3 port).
// Thread-safety: one router serves every connection of its listener; its collaborators are
// thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "console/assets.h"
#include "http/exchange.h"

namespace kura::console {

namespace net = boost::asio;

enum class ConsoleTarget { kApi, kIndex, kAsset, kMetrics };

struct ConsoleRoute {
  ConsoleTarget target = ConsoleTarget::kApi;
  std::string_view asset_path;  // kIndex, kAsset: the file to serve (borrowed from the head)
};

// Where the console listener sends `head` (pure; see above).
ConsoleRoute RouteConsoleRequest(const RequestHead& head);

// Whether a request carries a signature: an Authorization header, or a presigned URL's
// X-Amz-Signature / X-Amz-Credential / Signature / AWSAccessKeyId parameter.
bool IsSignedRequest(const RequestHead& head);

// The headers every console answer carries (CSP, nosniff, no-referrer, framing refused).
void SetSecurityHeaders(ResponseHead& head);

struct ConsoleOptions {
  const AssetSource* assets = nullptr;  // required
  // The /metrics page (Prometheus text exposition); empty: /metrics is 404.
  std::function<std::string()> metrics_page;
  // Told of each request the console answered itself ("Index", "Asset", "Metrics"), with its
  // status and duration; may be empty.
  std::function<void(std::string_view operation, int status, std::chrono::nanoseconds took)> observe;
};

class ConsoleRouter final : public http::Handler {
 public:
  // `api` answers what is not the console's (the request pipeline); it must outlive the router.
  ConsoleRouter(ConsoleOptions options, http::Handler& api);

  net::awaitable<void> Handle(http::Exchange& exchange) override;
  net::awaitable<void> HandleProtocolError(http::Exchange& exchange, const Error& error) override;

 private:
  net::awaitable<int> ServeAsset(http::Exchange& exchange, std::string_view path,
                                 std::string_view cache_control);
  net::awaitable<int> ServeMetrics(http::Exchange& exchange);

  ConsoleOptions options_;
  http::Handler& api_;
};

}  // namespace kura::console
