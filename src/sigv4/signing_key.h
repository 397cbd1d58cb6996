// SigV4 signing keys and signatures, with a small cache of derived keys.
//   kDate = HMAC("AWS4" + secret, yyyymmdd); kRegion = HMAC(kDate, region);
//   kService = HMAC(kRegion, service); kSigning = HMAC(kService, "aws4_request")
//   signature = hex(HMAC(kSigning, string_to_sign))
// Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// The cache saves the four HMACs per request and the signing key's HMAC key schedule. It is
// keyed by access key id, date, region and service; each entry remembers the secret it was
// derived from and is used only when the caller's secret equals it (compared in constant time),
// so a rotated or changed secret never gets an old key — and no lookup hashes the secret.
// Thread-safety: the functions are pure; SigningKey is immutable; SigningKeyCache is safe for
// concurrent use.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/crypto.h"
#include "common/secret.h"

namespace kura::sigv4 {

// The raw 32-byte signing key.
Secret DeriveSigningKey(const Secret& secret_access_key, std::string_view date,
                        std::string_view region, std::string_view service);

// Lower-case hex HMAC-SHA256 of string_to_sign under the signing key.
std::string SignatureHex(const Secret& signing_key, std::string_view string_to_sign);

// Whether `signature` signs a browser POST form's policy: its string to sign is the base64
// policy itself, under the signing key of (date, region, service). Constant-time comparison.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html
bool PostPolicySignatureMatches(const Secret& secret_access_key, std::string_view date,
                                std::string_view region, std::string_view service,
                                std::string_view policy_base64, std::string_view signature);

// A derived signing key ready to sign: its HMAC key schedule is done once.
class SigningKey {
 public:
  explicit SigningKey(Secret key) : key_(std::move(key)), mac_(key_.Reveal()) {}

  const Secret& secret() const { return key_; }
  // Equal to SignatureHex(secret(), string_to_sign).
  std::string SignatureHex(std::string_view string_to_sign) const;

 private:
  Secret key_;
  HmacSha256Key mac_;
};

class SigningKeyCache {
 public:
  // Entries kept before the cache starts over (one entry per key and day and scope).
  static constexpr size_t kCapacity = 4096;

  SigningKeyCache() = default;
  SigningKeyCache(const SigningKeyCache&) = delete;
  SigningKeyCache& operator=(const SigningKeyCache&) = delete;

  // The key derived from `secret_access_key` for the scope: the cached one when it was derived
  // from this very secret for `access_key_id`, else derived now (and remembered).
  std::shared_ptr<const SigningKey> Get(std::string_view access_key_id,
                                        const Secret& secret_access_key, std::string_view date,
                                        std::string_view region, std::string_view service);

 private:
  struct Entry {
    Secret secret_access_key;  // what the key was derived from (checked on every hit)
    std::shared_ptr<const SigningKey> key;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  std::mutex mutex_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;  // guarded by mutex_
};

}  // namespace kura::sigv4
