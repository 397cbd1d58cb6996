#include "oidc/key_source.h"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

namespace kura::oidc {
namespace {

Error CommunicationError(std::string_view why) {
  return MakeError(ErrorCode::kIDPCommunicationError, std::string(why));
}

std::string StringMember(const boost::json::value& doc, std::string_view name) {
  if (!doc.is_object()) return "";
  const boost::json::value* v = doc.as_object().if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string_view WithoutTrailingSlash(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return url;
}

}  // namespace

std::string DiscoveryUrl(std::string_view issuer) {
  return std::string(WithoutTrailingSlash(issuer)) + "/.well-known/openid-configuration";
}

CachingKeySource::CachingKeySource(const HttpFetcher& fetcher, const Clock& clock,
                                   KeySourceConfig config)
    : fetcher_(fetcher), clock_(clock), config_(std::move(config)) {}

int CachingKeySource::fetch_count() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

Result<std::shared_ptr<const Jwks>> CachingKeySource::Keys(std::string_view issuer, bool refresh) {
  if (auto it = config_.static_keys.find(issuer); it != config_.static_keys.end()) {
    return it->second;
  }
  TimePoint now = clock_.Now();
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(issuer);
    if (it != entries_.end()) {
      const Entry& e = it->second;
      bool valid = e.keys && now - e.fetched_at < config_.ttl;
      bool recently_tried = now - e.attempted_at < config_.min_refresh_interval;
      if (valid && (!refresh || recently_tried)) return e.keys;
      if (!valid && now - e.attempted_at < config_.negative_ttl) {
        return CommunicationError(e.error);
      }
    }
    ++fetches_;
  }
  auto fetched = Fetch(issuer);
  std::lock_guard lock(mutex_);
  Entry& e = entries_[std::string(issuer)];
  e.attempted_at = now;
  if (fetched) {
    e.keys = *fetched;
    e.fetched_at = now;
    e.error.clear();
    return fetched;
  }
  e.error = fetched.error().message;
  // A failed refresh keeps serving a set that is still within its ttl.
  if (e.keys && now - e.fetched_at < config_.ttl) return e.keys;
  e.keys = nullptr;
  return fetched;
}

Result<std::shared_ptr<const Jwks>> CachingKeySource::Fetch(std::string_view issuer) const {
  auto discovery = fetcher_.Get(DiscoveryUrl(issuer), kMaxDiscoveryBytes);
  if (!discovery) return discovery.error();
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(*discovery, ec);
  if (ec) return CommunicationError("the OpenID discovery document is not JSON");
  if (WithoutTrailingSlash(StringMember(doc, "issuer")) != WithoutTrailingSlash(issuer)) {
    return CommunicationError("the OpenID discovery document names another issuer");
  }
  std::string jwks_uri = StringMember(doc, "jwks_uri");
  if (jwks_uri.empty()) return CommunicationError("the discovery document has no jwks_uri");
  auto body = fetcher_.Get(jwks_uri, kMaxJwksBytes);
  if (!body) return body.error();
  auto jwks = ParseJwks(*body);
  if (!jwks) return CommunicationError("the provider's JWKS is invalid");
  return std::make_shared<const Jwks>(std::move(*jwks));
}

Result<std::shared_ptr<const Jwks>> LoadJwksFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, "cannot read JWKS file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto jwks = ParseJwks(text.str());
  if (!jwks) return MakeError(ErrorCode::kInvalidArgument, path + ": " + jwks.error().message);
  if (jwks->keys.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, path + ": no usable signing key");
  }
  return std::make_shared<const Jwks>(std::move(*jwks));
}

}  // namespace kura::oidc
