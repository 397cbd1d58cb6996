// Where the keys that sign an OpenID provider's ID tokens come from, with caching.
// For an issuer URL (the token's "iss", e.g. "https://accounts.example.com"), CachingKeySource
// fetches ISSUER/.well-known/openid-configuration (OpenID Connect Discovery 1.0 §4), checks its
// "issuer" equals the issuer, fetches its "jwks_uri" and parses the JWKS (jwks.h). Results are
// cached for `ttl`; a failed fetch is remembered for `negative_ttl` (so an unreachable provider
// is not hammered); Keys(issuer, /*refresh=*/true) — asked when a token names a kid the cached
// set lacks, i.e. the provider rotated keys — refetches unless the last fetch is younger than
// `min_refresh_interval` (so a stream of tokens with made-up kids cannot drive fetches).
// Static key sets (an operator's JWKS file per issuer, for air-gapped installs) are used
// instead of fetching. Time comes from the injected Clock.
// Thread-safety: Keys may be called concurrently; fetches run outside the lock (two callers may
// fetch the same issuer at once; the later result wins).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "oidc/http_fetcher.h"
#include "oidc/jwks.h"

namespace kura::oidc {

inline constexpr size_t kMaxDiscoveryBytes = 64 * 1024;

class KeySource {
 public:
  virtual ~KeySource() = default;
  // The provider's keys; kIDPCommunicationError when they cannot be obtained. May block (fetch).
  virtual Result<std::shared_ptr<const Jwks>> Keys(std::string_view issuer, bool refresh) = 0;
};

struct KeySourceConfig {
  std::chrono::seconds ttl{3600};
  std::chrono::seconds negative_ttl{30};
  std::chrono::seconds min_refresh_interval{10};
  // Issuer URL → key set used instead of discovery (see LoadJwksFile).
  std::map<std::string, std::shared_ptr<const Jwks>, std::less<>> static_keys;
};

class CachingKeySource final : public KeySource {
 public:
  CachingKeySource(const HttpFetcher& fetcher, const Clock& clock, KeySourceConfig config);
  CachingKeySource(const CachingKeySource&) = delete;
  CachingKeySource& operator=(const CachingKeySource&) = delete;

  Result<std::shared_ptr<const Jwks>> Keys(std::string_view issuer, bool refresh) override;

  // How many discovery+JWKS fetches were attempted (for tests and logs).
  int fetch_count() const;

 private:
  struct Entry {
    TimePoint fetched_at;              // of `keys`
    TimePoint attempted_at;            // of the last fetch, successful or not
    std::shared_ptr<const Jwks> keys;  // null: no fetch has succeeded within ttl
    std::string error;
  };
  Result<std::shared_ptr<const Jwks>> Fetch(std::string_view issuer) const;

  const HttpFetcher& fetcher_;
  const Clock& clock_;
  KeySourceConfig config_;
  mutable std::mutex mutex_;  // guards entries_, fetches_
  std::map<std::string, Entry, std::less<>> entries_;
  int fetches_ = 0;
};

// Reads and parses a JWKS file (an operator's copy of a provider's keys). kInvalidArgument
// naming the file when it cannot be read or parsed, or holds no usable key.
Result<std::shared_ptr<const Jwks>> LoadJwksFile(const std::string& path);

// The discovery document's URL for an issuer (a trailing '/' of the issuer is not doubled).
std::string DiscoveryUrl(std::string_view issuer);

}  // namespace kura::oidc
