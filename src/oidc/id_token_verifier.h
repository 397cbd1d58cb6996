// Verifies a web identity token (an OpenID Connect ID token) for one registered provider, as
// AssumeRoleWithWebIdentity does (https://docs.aws.amazon.com/STS/latest/APIReference/
// API_AssumeRoleWithWebIdentity.html, https://docs.aws.amazon.com/IAM/latest/UserGuide/
// id_roles_providers_create_oidc.html). Order: algorithm (RS256/384/512, PS256/384, ES256/384;
// never none or HS*), audience against the provider's client ids, key by kid in the provider's
// JWKS (refetched once when the kid is unknown), signature, then time: exp required and
// exp + skew > now, nbf ≤ now + skew, iat ≤ now + skew; sub required.
// Errors as AWS: kInvalidIdentityToken (malformed, unsupported alg, "Incorrect token audience",
// unknown kid, bad signature, not yet valid), kExpiredTokenException (expired),
// kIDPCommunicationError (the keys cannot be fetched). Thread-safety: as the KeySource.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "oidc/jwt.h"
#include "oidc/key_source.h"

namespace kura::oidc {

// Clock skew tolerated on exp / nbf / iat.
inline constexpr std::chrono::seconds kClockSkew{60};

struct ProviderCheck {
  std::string_view issuer;  // the token's iss (the provider matched by it)
  const std::vector<std::string>& client_ids;
};

// The client id the token's audience matched ("aud" value, or its azp when aud has several).
Result<std::string> VerifyIdToken(const Jwt& jwt, const ProviderCheck& provider, KeySource& keys,
                                  TimePoint now);

// The provider key AWS uses for an issuer: the URL without "https://" (or "http://") and
// without a trailing '/', e.g. "accounts.example.com/tenant". This is also the prefix of the
// provider's condition keys ("accounts.example.com/tenant:sub").
std::string ProviderKeyOf(std::string_view issuer_url);

}  // namespace kura::oidc
