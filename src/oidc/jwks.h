// A JSON Web Key Set (RFC 7517 §5) of an OpenID provider: the public keys its ID tokens are
// signed with, as OpenSSL EVP_PKEYs ready to verify. Only signature keys kura can use are kept:
// kty "RSA" (n, e; at least 2048 bits) and kty "EC" on P-256 / P-384 (crv, x, y); keys with
// "use" other than "sig", private members ("d"), unknown kty or curves are skipped, not errors
// (a provider may publish keys for other purposes). Untrusted input: the document is capped at
// kMaxJwksBytes and kMaxJwksKeys; fuzzed (fuzz/oidc_jwks_fuzz.cc). Thread-safety: a Jwks is
// immutable once parsed; EVP_PKEY verification with a shared key is thread-safe.
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace kura::oidc {

inline constexpr size_t kMaxJwksBytes = 64 * 1024;
inline constexpr size_t kMaxJwksKeys = 100;

struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PublicKey = std::shared_ptr<EVP_PKEY>;

enum class KeyType { kRsa, kEc };

struct Jwk {
  std::string kid;  // "" when absent
  KeyType type = KeyType::kRsa;
  std::string alg;    // the key's "alg" if given (then only that algorithm may use it)
  std::string curve;  // "P-256" / "P-384" for EC
  PublicKey key;      // never null
};

struct Jwks {
  std::vector<Jwk> keys;

  // The keys a token with this kid may be verified with: the one with that kid, or, when the
  // token names none, every key (providers with a single key often omit kid).
  std::vector<const Jwk*> Candidates(std::string_view kid) const;
};

// kInvalidArgument when the document is not a JSON object with a "keys" array, or too large.
Result<Jwks> ParseJwks(std::string_view json);

}  // namespace kura::oidc
