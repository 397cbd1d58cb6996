// IAM OpenID Connect identity providers (https://docs.aws.amazon.com/IAM/latest/APIReference/
// API_CreateOpenIDConnectProvider.html and siblings): the entity, its ARN, and its persisted
// form (one metadata document of kind "iam.oidc-provider" per provider, id = the provider key,
// a JSON object with "v": 1). A provider is keyed by its URL without the scheme ("host/path"),
// which is what AWS matches a web identity token's "iss" against and what its ARN ends with:
// arn:aws:iam::ACCT:oidc-provider/HOST/PATH. Thread-safety: plain values and pure functions.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace kura::iam {

inline constexpr std::string_view kOidcProviderKind = "iam.oidc-provider";

struct OidcProvider {
  std::string url;  // as registered: "https://host/path" (http:// only for loopback hosts)
  std::string key;  // url without scheme and trailing '/': "host/path"
  std::string arn;  // arn:aws:iam::ACCT:oidc-provider/KEY
  std::vector<std::string> client_ids;   // audiences, in the order added
  std::vector<std::string> thumbprints;  // 40 hex digits each; stored, not used (docs/oidc.md)
  TimePoint created;
  std::vector<std::pair<std::string, std::string>> tags;
};

std::string OidcProviderArn(std::string_view account_id, std::string_view key);

std::string EncodeOidcProvider(const OidcProvider& provider);
// kInternalError when the stored JSON is not what EncodeOidcProvider wrote.
Result<std::shared_ptr<const OidcProvider>> DecodeOidcProvider(std::string_view json);

}  // namespace kura::iam
