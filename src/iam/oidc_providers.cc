// CreateOpenIDConnectProvider, GetOpenIDConnectProvider, ListOpenIDConnectProviders,
// DeleteOpenIDConnectProvider, AddClientIDToOpenIDConnectProvider,
// RemoveClientIDFromOpenIDConnectProvider, UpdateOpenIDConnectProviderThumbprint.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html and
// siblings; shapes from botocore's iam service-2.json (Url 1..255, ClientIDList ≤ 100 of
// 1..255 characters, ThumbprintList ≤ 5 of exactly 40 characters). The URL must be https://
// (kura also accepts http:// to a loopback host, for local issuers and tests). The thumbprints
// are stored and returned but not used for verification: kura verifies the provider's TLS
// certificate against the CA store instead, as AWS does for well-known CAs (docs/oidc.md).
#include <algorithm>

#include "common/time_format.h"
#include "iam/iam_handlers.h"
#include "oidc/http_fetcher.h"
#include "oidc/id_token_verifier.h"

namespace kura::iam::handlers {
namespace {

constexpr size_t kMaxUrlChars = 255;
constexpr size_t kMaxClientIds = 100;
constexpr size_t kMaxClientIdChars = 255;
constexpr size_t kMaxThumbprints = 5;
constexpr size_t kThumbprintChars = 40;

Error Validation(std::string_view value, std::string_view member, std::string_view constraint) {
  return MakeError(ErrorCode::kValidationError,
                   "1 validation error detected: Value '" + std::string(value) + "' at '" +
                       std::string(member) +
                       "' failed to satisfy constraint: " + std::string(constraint));
}

Error ProviderNotFound(std::string_view arn) {
  return MakeError(ErrorCode::kNoSuchEntity,
                   "OpenIDConnect Provider not found for arn " + std::string(arn));
}

bool HostIsLoopback(std::string_view key) {
  std::string_view host = key.substr(0, key.find('/'));
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') == std::string_view::npos ? 0 : host.find(']') - 1);
  } else if (host.find(':') != std::string_view::npos) {
    host = host.substr(0, host.find(':'));
  }
  return oidc::IsLoopbackHost(host);
}

}  // namespace

Result<std::string> ReadProviderUrl(const IamCall& call) {
  auto url = call.Required("Url", "url");
  if (!url) return url.error();
  if (url->empty() || url->size() > kMaxUrlChars) {
    return Validation(*url, "url", "Member must have length less than or equal to 255");
  }
  bool https = url->rfind("https://", 0) == 0;
  bool http = url->rfind("http://", 0) == 0;
  std::string key = oidc::ProviderKeyOf(*url);
  if ((!https && !(http && HostIsLoopback(key))) || key.empty() ||
      url->find_first_of("?# ") != std::string::npos) {
    return MakeError(ErrorCode::kInvalidInput, "Invalid Url: " + *url + " (must be https://)");
  }
  return *url;
}

namespace {

Result<std::vector<std::string>> ReadClientIds(const IamCall& call) {
  std::vector<std::string> ids;
  for (std::string& id : call.List("ClientIDList")) {
    if (id.empty() || id.size() > kMaxClientIdChars) {
      return Validation(id, "clientIDList", "Member must have length less than or equal to 255");
    }
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
  }
  if (ids.size() > kMaxClientIds) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
  }
  return ids;
}

Result<std::vector<std::string>> ReadThumbprints(const IamCall& call) {
  std::vector<std::string> prints = call.List("ThumbprintList");
  if (prints.size() > kMaxThumbprints) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: 5");
  }
  for (const std::string& p : prints) {
    if (p.size() != kThumbprintChars ||
        p.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      return Validation(p, "thumbprintList", "Member must have length 40 hexadecimal digits");
    }
  }
  return prints;
}

Result<std::vector<std::pair<std::string, std::string>>> ReadTags(const IamCall& call) {
  auto tags = call.Tags();
  if (!tags) return tags.error();
  std::vector<std::pair<std::string, std::string>> out;
  for (const Tag& t : *tags) out.emplace_back(t.key, t.value);
  return out;
}

// The provider an ARN names (exact match), or NoSuchEntity.
Result<std::string> ProviderKeyFor(const IdentityState& s, std::string_view arn) {
  for (const auto& [key, provider] : s.oidc_providers) {
    if (provider->arn == arn) return key;
  }
  return ProviderNotFound(arn);
}

Result<std::string> ReadArn(const IamCall& call) {
  return call.Required("OpenIDConnectProviderArn", "openIDConnectProviderArn");
}

// Applies `edit` to a copy of the provider ARN names.
net::awaitable<Result<std::string>> EditProvider(IamCall& call,
                                                 std::function<void(OidcProvider&)> edit) {
  auto arn = ReadArn(call);
  if (!arn) co_return arn.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    auto key = ProviderKeyFor(s, *arn);
    if (!key) return key.error();
    auto copy = std::make_shared<OidcProvider>(*s.oidc_providers.at(*key));
    edit(*copy);
    s.oidc_providers[*key] = std::move(copy);
    return Ok();
  }));
  co_return call.Empty();
}

void WriteStrings(xml::Writer& w, std::string_view list, const std::vector<std::string>& items) {
  w.Open(list);
  for (const std::string& item : items) w.Element("member", item);
  w.Close(list);
}

}  // namespace

net::awaitable<Result<std::string>> CreateOpenIDConnectProvider(IamCall& call) {
  auto url = ReadProviderUrl(call);
  if (!url) co_return url.error();
  auto client_ids = ReadClientIds(call);
  if (!client_ids) co_return client_ids.error();
  auto thumbprints = ReadThumbprints(call);
  if (!thumbprints) co_return thumbprints.error();
  auto tags = ReadTags(call);
  if (!tags) co_return tags.error();
  std::string key = oidc::ProviderKeyOf(*url);
  std::string arn = OidcProviderArn(call.account(), key);
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    if (s.oidc_providers.count(key) > 0) {
      return MakeError(ErrorCode::kEntityAlreadyExists,
                       "Provider with url " + *url + " already exists.");
    }
    auto provider = std::make_shared<OidcProvider>();
    provider->url = *url;
    provider->key = key;
    provider->arn = arn;
    provider->client_ids = *client_ids;
    provider->thumbprints = *thumbprints;
    provider->created = call.now();
    provider->tags = *tags;
    s.oidc_providers[key] = std::move(provider);
    return Ok();
  }));
  auto& w = call.Start();
  w.Element("OpenIDConnectProviderArn", arn);
  if (!tags->empty()) {
    w.Open("Tags");
    for (const auto& [k, v] : *tags) {
      w.Open("member").Element("Key", k).Element("Value", v).Close("member");
    }
    w.Close("Tags");
  }
  co_return call.Finish();
}

net::awaitable<Result<std::string>> GetOpenIDConnectProvider(IamCall& call) {
  auto arn = ReadArn(call);
  if (!arn) co_return arn.error();
  const IdentityState& s = call.snapshot().state();
  auto key = ProviderKeyFor(s, *arn);
  if (!key) co_return key.error();
  const OidcProvider& p = *s.oidc_providers.at(*key);
  auto& w = call.Start();
  w.Element("Url", p.key);  // AWS answers the URL without its scheme
  WriteStrings(w, "ClientIDList", p.client_ids);
  WriteStrings(w, "ThumbprintList", p.thumbprints);
  w.Element("CreateDate", FormatIso8601Seconds(p.created));
  w.Open("Tags");
  for (const auto& [k, v] : p.tags) {
    w.Open("member").Element("Key", k).Element("Value", v).Close("member");
  }
  w.Close("Tags");
  co_return call.Finish();
}

net::awaitable<Result<std::string>> ListOpenIDConnectProviders(IamCall& call) {
  auto& w = call.Start();
  w.Open("OpenIDConnectProviderList");
  for (const auto& [key, p] : call.snapshot().state().oidc_providers) {
    w.Open("member").Element("Arn", p->arn).Close("member");
  }
  w.Close("OpenIDConnectProviderList");
  co_return call.Finish();
}

net::awaitable<Result<std::string>> DeleteOpenIDConnectProvider(IamCall& call) {
  auto arn = ReadArn(call);
  if (!arn) co_return arn.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    auto key = ProviderKeyFor(s, *arn);
    if (!key) return key.error();
    s.oidc_providers.erase(*key);
    return Ok();
  }));
  co_return call.Empty();
}

net::awaitable<Result<std::string>> AddClientIDToOpenIDConnectProvider(IamCall& call) {
  auto id = call.Required("ClientID", "clientID");
  if (!id) co_return id.error();
  if (id->empty() || id->size() > kMaxClientIdChars) {
    co_return Validation(*id, "clientID", "Member must have length less than or equal to 255");
  }
  co_return co_await EditProvider(call, [&](OidcProvider& p) {
    if (std::find(p.client_ids.begin(), p.client_ids.end(), *id) == p.client_ids.end()) {
      p.client_ids.push_back(*id);
    }
  });
}

net::awaitable<Result<std::string>> RemoveClientIDFromOpenIDConnectProvider(IamCall& call) {
  auto id = call.Required("ClientID", "clientID");
  if (!id) co_return id.error();
  co_return co_await EditProvider(call, [&](OidcProvider& p) { std::erase(p.client_ids, *id); });
}

net::awaitable<Result<std::string>> UpdateOpenIDConnectProviderThumbprint(IamCall& call) {
  auto thumbprints = ReadThumbprints(call);
  if (!thumbprints) co_return thumbprints.error();
  co_return co_await EditProvider(call, [&](OidcProvider& p) { p.thumbprints = *thumbprints; });
}

}  // namespace kura::iam::handlers
