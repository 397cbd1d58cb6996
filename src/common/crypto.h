// Hashes and MACs over OpenSSL 3 (EVP): SHA-256, SHA-1, MD5, HMAC-SHA256 (and HMAC-SHA1), incrementally or in
// one call; and one-call AES-256-GCM. Used by SigV4, ETags, checksums, tokens and sealed secrets. Thread-safety: each object is used by
// one thread at a time; the one-call functions are pure.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace kura {

enum class HashAlgorithm { kSha256, kSha1, kMd5 };

// An incremental message digest; Finish returns the raw digest bytes and resets the state.
class Hasher {
 public:
  explicit Hasher(HashAlgorithm algorithm);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;

  void Update(std::string_view bytes);
  std::string Finish();

 private:
  void Reset();
  HashAlgorithm algorithm_;
  evp_md_ctx_st* ctx_;
};

std::string Sha256(std::string_view bytes);      // raw 32 bytes
std::string Sha256Hex(std::string_view bytes);   // lower-case hex
std::string Md5(std::string_view bytes);         // raw 16 bytes
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
// HMAC-SHA1 (RFC 2104), raw 20 bytes: only for AWS Signature Version 2, which is defined on it.
std::string HmacSha1(std::string_view key, std::string_view data);

// HMAC-SHA256 under one fixed key (RFC 2104) with the key schedule done once: the inner and
// outer padded key blocks are hashed at construction, so each Mac costs only the message's
// blocks (SigV4 signs every request under a cached signing key). Thread-safety: immutable after
// construction; Mac may be called from several threads at once.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key&) = delete;
  HmacSha256Key& operator=(const HmacSha256Key&) = delete;

  std::string Mac(std::string_view data) const;  // raw 32 bytes, equal to HmacSha256(key, data)

 private:
  evp_md_ctx_st* inner_;  // SHA-256 state after (key ^ ipad)
  evp_md_ctx_st* outer_;  // SHA-256 state after (key ^ opad)
};

// AES-256-GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag. The caller never reuses
// a nonce under one key (draw it at random: 2^32 messages per key keep the collision risk
// within SP 800-38D §8.3). Seal returns ciphertext || tag; Open returns the plaintext, or
// nullopt when the key, nonce, associated data or any byte differs from the sealing.
inline constexpr size_t kAesGcmKeyBytes = 32;
inline constexpr size_t kAesGcmNonceBytes = 12;
inline constexpr size_t kAesGcmTagBytes = 16;
std::string AesGcmSeal(std::string_view key, std::string_view nonce, std::string_view plaintext,
                       std::string_view associated_data);
std::optional<std::string> AesGcmOpen(std::string_view key, std::string_view nonce,
                                      std::string_view sealed, std::string_view associated_data);

}  // namespace kura
