#include "oidc/id_token_verifier.h"

#include <algorithm>

#include "common/time_format.h"
#include "oidc/jws_signature.h"

namespace kura::oidc {
namespace {

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kInvalidIdentityToken, std::move(message));
}

// AWS matches aud against the client ids; with several audiences, azp names the client.
Result<std::string> MatchAudience(const Jwt& jwt, const std::vector<std::string>& client_ids) {
  auto known = [&client_ids](const std::string& id) {
    return std::find(client_ids.begin(), client_ids.end(), id) != client_ids.end();
  };
  if (!jwt.azp.empty() && known(jwt.azp) &&
      std::find(jwt.aud.begin(), jwt.aud.end(), jwt.azp) != jwt.aud.end()) {
    return jwt.azp;
  }
  for (const std::string& aud : jwt.aud) {
    if (known(aud)) return aud;
  }
  return Invalid("Incorrect token audience");
}

Result<void> VerifySignature(const Jwt& jwt, std::string_view issuer, KeySource& keys) {
  auto jwks = keys.Keys(issuer, /*refresh=*/false);
  if (!jwks) return jwks.error();
  auto candidates = (*jwks)->Candidates(jwt.kid);
  if (candidates.empty()) {
    jwks = keys.Keys(issuer, /*refresh=*/true);  // the provider may have rotated its keys
    if (!jwks) return jwks.error();
    candidates = (*jwks)->Candidates(jwt.kid);
  }
  if (candidates.empty()) return Invalid("No matching key found for the token's kid");
  for (const Jwk* key : candidates) {
    if (VerifyJwsSignature(jwt.alg, jwt.signing_input, jwt.signature, *key)) return Ok();
  }
  return Invalid("The token's signature could not be verified");
}

Result<void> CheckTimes(const Jwt& jwt, TimePoint now) {
  int64_t t = UnixSeconds(now);
  int64_t skew = kClockSkew.count();
  if (!jwt.exp) return Invalid("The token has no expiration time (exp)");
  if (*jwt.exp + skew <= t) {
    return MakeError(ErrorCode::kExpiredTokenException,
                     "Token expired: current date/time " + FormatIso8601Seconds(now) +
                         " must be before the expiration date/time " +
                         FormatIso8601Seconds(FromUnixSeconds(std::min<int64_t>(*jwt.exp, t))));
  }
  if (jwt.nbf && *jwt.nbf > t + skew) return Invalid("The token is not valid yet (nbf)");
  if (jwt.iat && *jwt.iat > t + skew) return Invalid("The token was issued in the future (iat)");
  return Ok();
}

}  // namespace

std::string ProviderKeyOf(std::string_view issuer_url) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (issuer_url.substr(0, scheme.size()) == scheme) {
      issuer_url.remove_prefix(scheme.size());
      break;
    }
  }
  while (!issuer_url.empty() && issuer_url.back() == '/') issuer_url.remove_suffix(1);
  return std::string(issuer_url);
}

Result<std::string> VerifyIdToken(const Jwt& jwt, const ProviderCheck& provider, KeySource& keys,
                                  TimePoint now) {
  if (!IsSupportedAlgorithm(jwt.alg)) {
    return Invalid("The token's signing algorithm " + jwt.alg + " is not supported");
  }
  auto audience = MatchAudience(jwt, provider.client_ids);
  if (!audience) return audience.error();
  KURA_TRY(VerifySignature(jwt, provider.issuer, keys));
  KURA_TRY(CheckTimes(jwt, now));
  if (jwt.sub.empty()) return Invalid("The token has no subject (sub)");
  return audience;
}

}  // namespace kura::oidc
