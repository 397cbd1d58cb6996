// Wiring of web identity federation into `kura serve`: the HTTPS fetcher of providers'
// discovery documents and JWKS (--oidc-ca-file adds a CA bundle to the system store;
// --oidc-fetch-timeout-ms), the caching key source, and the operator's static JWKS files for
// air-gapped installs (--oidc-jwks-file "ISSUER=PATH[,ISSUER=PATH…]"). Wiring only.
// Thread-safety: built at start-up; the parts are thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "oidc/http_fetcher.h"
#include "oidc/key_source.h"

namespace kura::cmd {

struct OidcParts {
  std::unique_ptr<oidc::HttpFetcher> fetcher;
  std::unique_ptr<oidc::CachingKeySource> keys;
};

// kInvalidArgument for a bad flag or an unreadable / invalid JWKS file (fail fast at start).
Result<OidcParts> BuildOidc(const std::map<std::string, std::string>& flags, const Clock& clock);

}  // namespace kura::cmd
