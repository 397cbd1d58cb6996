// Hashes and MACs over OpenSSL 3 (EVP): SHA-256, SHA-1, MD5, HMAC-SHA256, incrementally or in
// one call. Used by SigV4, ETags, checksums and tokens. Thread-safety: each object is used by
// one thread at a time; the one-call functions are pure.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
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

}  // namespace kura
