// SigV4 signing keys and signatures, with a small cache of derived keys.
//   kDate = HMAC("AWS4" + secret, yyyymmdd); kRegion = HMAC(kDate, region);
//   kService = HMAC(kRegion, service); kSigning = HMAC(kService, "aws4_request")
//   signature = hex(HMAC(kSigning, string_to_sign))
// Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// The cache saves the four HMACs per request; it is keyed by a digest of the secret (never the
// secret itself) plus date, region and service, so a rotated secret never hits an old entry.
// Thread-safety: the functions are pure; SigningKeyCache is safe for concurrent use.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/secret.h"

namespace kura::sigv4 {

// The raw 32-byte signing key.
Secret DeriveSigningKey(const Secret& secret_access_key, std::string_view date,
                        std::string_view region, std::string_view service);

// Lower-case hex HMAC-SHA256 of string_to_sign under the signing key.
std::string SignatureHex(const Secret& signing_key, std::string_view string_to_sign);

class SigningKeyCache {
 public:
  // Entries kept before the cache starts over (one entry per key and day and scope).
  static constexpr size_t kCapacity = 4096;

  SigningKeyCache() = default;
  SigningKeyCache(const SigningKeyCache&) = delete;
  SigningKeyCache& operator=(const SigningKeyCache&) = delete;

  // The derived key, from the cache or computed (and remembered).
  Secret Get(const Secret& secret_access_key, std::string_view date, std::string_view region,
             std::string_view service);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, Secret> keys_;  // guarded by mutex_
};

}  // namespace kura::sigv4
