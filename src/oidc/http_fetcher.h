// Fetching an OpenID provider's discovery document and JWKS: one HTTP GET, with a deadline and
// a response size cap, over HTTPS verified against the system CA store (plus an optional extra
// CA file, `kura serve --oidc-ca-file` / KURA_OIDC_CA_FILE), or plain HTTP to a loopback host
// (127.0.0.0/8, ::1, localhost — for tests and local issuers only). Redirects are not followed.
// The fetch is synchronous and blocks the calling thread for up to the deadline: call it on
// the blocking pool, never on an I/O thread. Thread-safety: Get may be called concurrently.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/error.h"

namespace kura::oidc {

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  // The body of a 200 response to GET `url`, at most `max_bytes` long; kIDPCommunicationError
  // on anything else (bad URL, refused scheme, DNS, connect, TLS, timeout, status, size).
  virtual Result<std::string> Get(std::string_view url, size_t max_bytes) const = 0;
};

struct FetcherConfig {
  std::chrono::milliseconds timeout{5000};
  std::string extra_ca_file;  // "" = system CA store only
};

// The real fetcher (Boost.Beast client on a private io_context per call).
class BeastHttpFetcher final : public HttpFetcher {
 public:
  explicit BeastHttpFetcher(FetcherConfig config) : config_(std::move(config)) {}
  Result<std::string> Get(std::string_view url, size_t max_bytes) const override;

 private:
  FetcherConfig config_;
};

// Whether `host` (as in a URL, IPv6 without brackets) is a loopback name or address.
bool IsLoopbackHost(std::string_view host);

}  // namespace kura::oidc
