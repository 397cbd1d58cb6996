#include "common/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "common/encoding.h"

namespace kura {
namespace {
// OpenSSL 3 looks an algorithm up in its provider tables on every call that names it by a
// legacy EVP_sha256() handle or by name (HMAC(), EVP_Digest): about a third of a small digest's
// cost. These are fetched once, and each thread reuses its own contexts.
EVP_MD* FetchedMd(HashAlgorithm algorithm) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  switch (algorithm) {
    case HashAlgorithm::kSha256: return sha256;
    case HashAlgorithm::kSha1: return sha1;
    case HashAlgorithm::kMd5: return md5;
  }
  std::abort();
}

struct DigestCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

std::string OneShotDigest(HashAlgorithm algorithm, std::string_view bytes) {
  thread_local std::unique_ptr<EVP_MD_CTX, DigestCtxDeleter> ctx(EVP_MD_CTX_new());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (ctx == nullptr || EVP_DigestInit_ex2(ctx.get(), FetchedMd(algorithm), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) {
    std::abort();  // only on allocation failure: there is no digest to return
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

// This thread's HMAC context for `digest` ("SHA256", "SHA1"), its digest set once; EVP_MAC_init
// then only loads a key.
EVP_MAC_CTX* NewHmacContext(const char* digest) {
  static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* c = EVP_MAC_CTX_new(hmac);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_end()};
  if (c == nullptr || EVP_MAC_CTX_set_params(c, params) != 1) std::abort();
  return c;
}

EVP_MAC_CTX* HmacSha256Context() {
  thread_local std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(NewHmacContext("SHA256"));
  return ctx.get();
}

EVP_MAC_CTX* HmacSha1Context() {
  thread_local std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(NewHmacContext("SHA1"));
  return ctx.get();
}

std::string OneShotHmac(EVP_MAC_CTX* ctx, std::string_view key, std::string_view data) {
  // A null key would mean "keep the previous call's key": an empty key must point somewhere.
  static const unsigned char kNoKeyBytes[1] = {0};
  const auto* key_bytes = key.empty() ? kNoKeyBytes : reinterpret_cast<const unsigned char*>(key.data());
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx, out, &len, sizeof out) != 1) {
    std::abort();  // only on allocation failure: there is no MAC to return
  }
  return std::string(reinterpret_cast<char*>(out), len);
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

void Hasher::Reset() { EVP_DigestInit_ex2(ctx_, FetchedMd(algorithm_), nullptr); }

void Hasher::Update(std::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }

std::string Hasher::Finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_, out, &len);
  Reset();
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Sha256(std::string_view bytes) { return OneShotDigest(HashAlgorithm::kSha256, bytes); }

std::string Sha256Hex(std::string_view bytes) { return HexLower(Sha256(bytes)); }

std::string Md5(std::string_view bytes) { return OneShotDigest(HashAlgorithm::kMd5, bytes); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  return OneShotHmac(HmacSha256Context(), key, data);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  return OneShotHmac(HmacSha1Context(), key, data);
}

namespace {
constexpr size_t kSha256BlockBytes = 64;

// A digest context that has absorbed one block: the key (zero-padded) XOR `pad`.
EVP_MD_CTX* PaddedKeyState(std::string_view key, unsigned char pad) {
  unsigned char block[kSha256BlockBytes];
  for (size_t i = 0; i < kSha256BlockBytes; ++i) {
    unsigned char k = i < key.size() ? static_cast<unsigned char>(key[i]) : 0;
    block[i] = k ^ pad;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex2(ctx, FetchedMd(HashAlgorithm::kSha256), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, block, sizeof block) == 1;
  OPENSSL_cleanse(block, sizeof block);
  if (!ok) std::abort();  // only on allocation failure
  return ctx;
}
}  // namespace

HmacSha256Key::HmacSha256Key(std::string_view key) {
  // RFC 2104: a key longer than the block is first hashed.
  std::string hashed = key.size() > kSha256BlockBytes ? Sha256(key) : std::string();
  std::string_view k = hashed.empty() ? key : std::string_view(hashed);
  inner_ = PaddedKeyState(k, 0x36);
  outer_ = PaddedKeyState(k, 0x5c);
  OPENSSL_cleanse(hashed.data(), hashed.size());
}

HmacSha256Key::~HmacSha256Key() {
  EVP_MD_CTX_free(inner_);
  EVP_MD_CTX_free(outer_);
}

std::string HmacSha256Key::Mac(std::string_view data) const {
  // Copying a prepared state into this thread's context replaces the two key blocks' hashing.
  thread_local std::unique_ptr<EVP_MD_CTX, DigestCtxDeleter> ctx(EVP_MD_CTX_new());
  unsigned char inner_digest[32];
  unsigned char out[32];
  unsigned int len = 0;
  if (ctx == nullptr || EVP_MD_CTX_copy_ex(ctx.get(), inner_) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), inner_digest, &len) != 1 ||
      EVP_MD_CTX_copy_ex(ctx.get(), outer_) != 1 ||
      EVP_DigestUpdate(ctx.get(), inner_digest, sizeof inner_digest) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) {
    std::abort();  // only on allocation failure: there is no MAC to return
  }
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

namespace {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

const EVP_CIPHER* Aes256Gcm() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  if (cipher == nullptr) std::abort();  // OpenSSL without its default provider
  return cipher;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

int Length(std::string_view s) { return static_cast<int>(s.size()); }

}  // namespace

std::string AesGcmSeal(std::string_view key, std::string_view nonce, std::string_view plaintext,
                       std::string_view associated_data) {
  if (key.size() != kAesGcmKeyBytes || nonce.size() != kAesGcmNonceBytes) std::abort();
  std::string out(plaintext.size() + kAesGcmTagBytes, '\0');
  auto* dest = reinterpret_cast<unsigned char*>(out.data());
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok = ctx && EVP_EncryptInit_ex2(ctx.get(), Aes256Gcm(), Bytes(key), Bytes(nonce), nullptr) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                              Length(associated_data)) == 1 &&
            EVP_EncryptUpdate(ctx.get(), dest, &len, Bytes(plaintext), Length(plaintext)) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), dest + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, kAesGcmTagBytes,
                                dest + plaintext.size()) == 1;
  if (!ok) std::abort();  // only allocation failure can get here
  return out;
}

std::optional<std::string> AesGcmOpen(std::string_view key, std::string_view nonce,
                                      std::string_view sealed, std::string_view associated_data) {
  if (key.size() != kAesGcmKeyBytes || nonce.size() != kAesGcmNonceBytes ||
      sealed.size() < kAesGcmTagBytes) {
    return std::nullopt;
  }
  std::string_view body = sealed.substr(0, sealed.size() - kAesGcmTagBytes);
  std::string tag(sealed.substr(body.size()));
  std::string plain(body.size(), '\0');
  auto* dest = reinterpret_cast<unsigned char*>(plain.data());
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok = ctx && EVP_DecryptInit_ex2(ctx.get(), Aes256Gcm(), Bytes(key), Bytes(nonce), nullptr) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                              Length(associated_data)) == 1 &&
            EVP_DecryptUpdate(ctx.get(), dest, &len, Bytes(body), Length(body)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, kAesGcmTagBytes, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), dest + len, &len) == 1;
  if (!ok) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return std::nullopt;
  }
  return plain;
}

}  // namespace kura
