// JWS signature verification (RFC 7518 §3) for the algorithms OpenID providers sign ID tokens
// with: RS256/RS384/RS512 (RSASSA-PKCS1-v1_5), PS256/PS384 (RSASSA-PSS, MGF1 with the same hash,
// salt = hash length) and ES256/ES384 (ECDSA; the JWS signature is the raw r||s, converted to
// DER for OpenSSL). "none", the HMAC algorithms (HS*, whose "key" would be public) and anything
// else are refused, as is a key of the wrong type, curve, or declared "alg".
// Uses OpenSSL 3 EVP. Thread-safety: pure.
#pragma once

#include <string_view>

#include "oidc/jwks.h"

namespace kura::oidc {

// Whether kura verifies tokens signed with `alg`.
bool IsSupportedAlgorithm(std::string_view alg);

// True when `signature` is `key`'s valid `alg` signature of `signing_input`.
bool VerifyJwsSignature(std::string_view alg, std::string_view signing_input,
                        std::string_view signature, const Jwk& key);

}  // namespace kura::oidc
