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

}  // namespace kura
