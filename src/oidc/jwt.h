// A compact-serialized JWS carrying an OpenID Connect ID token (RFC 7515 §7.1, RFC 7519,
// https://openid.net/specs/openid-connect-core-1_0.html#IDToken): three base64url parts
// "header.payload.signature". ParseJwt splits and decodes it and reads the header and the
// claims AWS's AssumeRoleWithWebIdentity looks at; it verifies nothing (see jws_signature.h and
// id_token_checks.h). Untrusted input: every size is capped (kMaxJwtChars) and every field
// type-checked; it is fuzzed (fuzz/oidc_jwt_fuzz.cc). Thread-safety: pure.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace kura::oidc {

// AWS accepts web identity tokens of 4..20000 characters (WebIdentityToken's shape).
inline constexpr size_t kMaxJwtChars = 20000;

// The claim that carries session tags (https://docs.aws.amazon.com/IAM/latest/UserGuide/
// id_session-tags.html#id_session-tags_adding-assume-role-idp).
inline constexpr std::string_view kAwsTagsClaim = "https://aws.amazon.com/tags";

struct Jwt {
  // Header.
  std::string alg;  // "RS256" … as written
  std::string kid;  // "" when absent
  // Payload: the registered claims (absent → empty / nullopt) and the whole object.
  std::string iss;
  std::string sub;
  std::vector<std::string> aud;  // "aud" as a string or an array of strings
  std::string azp;
  std::optional<int64_t> exp;  // NumericDate, whole seconds
  std::optional<int64_t> nbf;
  std::optional<int64_t> iat;
  boost::json::object claims;
  // What the signature covers ("header.payload", as received) and the decoded signature.
  std::string signing_input;
  std::string signature;
};

// kInvalidIdentityToken for anything that is not a well-formed JWS with a JSON-object header
// and payload: wrong number of parts, bad base64url, bad JSON, wrong claim types, too long,
// a "crit" header (no extension is understood), JWE (five parts).
Result<Jwt> ParseJwt(std::string_view token);

// The value of claim `name` as strings (a string, or an array of strings; numbers and booleans
// as their JSON text); empty when absent or of another type.
std::vector<std::string> ClaimStrings(const boost::json::object& claims, std::string_view name);

}  // namespace kura::oidc
