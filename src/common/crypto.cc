#include "common/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

#include "common/encoding.h"

namespace kura {
namespace {
const EVP_MD* MdFor(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::kSha256: return EVP_sha256();
    case HashAlgorithm::kSha1: return EVP_sha1();
    case HashAlgorithm::kMd5: return EVP_md5();
  }
  std::abort();
}
}  // namespace

Hasher::Hasher(HashAlgorithm algorithm) : algorithm_(algorithm), ctx_(EVP_MD_CTX_new()) { Reset(); }
Hasher::~Hasher() { EVP_MD_CTX_free(ctx_); }
Hasher::Hasher(Hasher&& other) noexcept : algorithm_(other.algorithm_), ctx_(other.ctx_) {
  other.ctx_ = nullptr;
}
Hasher& Hasher::operator=(Hasher&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(ctx_);
    algorithm_ = other.algorithm_;
    ctx_ = other.ctx_;
    other.ctx_ = nullptr;
  }
  return *this;
}

void Hasher::Reset() { EVP_DigestInit_ex(ctx_, MdFor(algorithm_), nullptr); }

void Hasher::Update(std::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }

std::string Hasher::Finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_, out, &len);
  Reset();
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Sha256(std::string_view bytes) {
  unsigned char out[32];
  EVP_Digest(bytes.data(), bytes.size(), out, nullptr, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string Sha256Hex(std::string_view bytes) { return HexLower(Sha256(bytes)); }

std::string Md5(std::string_view bytes) {
  unsigned char out[16];
  EVP_Digest(bytes.data(), bytes.size(), out, nullptr, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[32];
  unsigned int len = sizeof out;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace kura
