#include "cmd/oidc_setup.h"

#include <sstream>

namespace kura::cmd {
namespace {

Result<void> AddJwksFiles(const std::string& spec, oidc::KeySourceConfig& config) {
  std::stringstream items(spec);
  std::string item;
  while (std::getline(items, item, ',')) {
    if (item.empty()) continue;
    size_t eq = item.rfind('=');
    if (eq == std::string::npos || eq == 0) {
      return MakeError(ErrorCode::kInvalidArgument, "--oidc-jwks-file needs ISSUER=PATH");
    }
    auto jwks = oidc::LoadJwksFile(item.substr(eq + 1));
    if (!jwks) return jwks.error();
    config.static_keys[item.substr(0, eq)] = std::move(*jwks);
  }
  return Ok();
}

}  // namespace

Result<OidcParts> BuildOidc(const std::map<std::string, std::string>& flags, const Clock& clock) {
  oidc::FetcherConfig fetch;
  fetch.extra_ca_file = flags.at("oidc-ca-file");
  int timeout_ms = std::atoi(flags.at("oidc-fetch-timeout-ms").c_str());
  if (timeout_ms < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "--oidc-fetch-timeout-ms must be positive");
  }
  fetch.timeout = std::chrono::milliseconds(timeout_ms);
  oidc::KeySourceConfig config;
  KURA_TRY(AddJwksFiles(flags.at("oidc-jwks-file"), config));
  OidcParts parts;
  parts.fetcher = std::make_unique<oidc::BeastHttpFetcher>(fetch);
  parts.keys = std::make_unique<oidc::CachingKeySource>(*parts.fetcher, clock, std::move(config));
  return parts;
}

}  // namespace kura::cmd
