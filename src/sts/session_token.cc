#include "sts/session_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "common/encoding.h"
#include "sts/claims_encoding.h"

namespace kura::sts {
namespace {

constexpr size_t kHeaderBytes = 5;  // version + key id: the AAD
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr size_t kOverheadBytes = kHeaderBytes + kNonceBytes + kTagBytes;

size_t Base64Chars(size_t bytes) { return (bytes + 2) / 3 * 4; }

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

// Wipes a buffer that held plaintext claims (the secret key) when it goes out of scope.
struct Wipe {
  std::string& buffer;
  ~Wipe() { OPENSSL_cleanse(buffer.data(), buffer.size()); }
};

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

void PutHeader(uint32_t key_id, std::string& out) {
  out.push_back(static_cast<char>(kTokenFormatVersion));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(key_id >> shift));
}

uint32_t KeyIdOf(std::string_view raw) {
  uint32_t id = 0;
  for (size_t i = 1; i < kHeaderBytes; ++i) id = (id << 8) | static_cast<uint8_t>(raw[i]);
  return id;
}

Error Invalid() { return MakeError(ErrorCode::kInvalidToken); }
Error CipherFailed() { return MakeError(ErrorCode::kInternalError, "session token cipher failed"); }

// Encrypts `plain` into out[offset…] (same length) and appends the tag; false if OpenSSL fails.
bool Encrypt(const EVP_CIPHER* cipher, std::string_view key, std::string_view plain,
             std::string& out) {
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  const size_t offset = out.size();
  std::string_view aad(out.data(), kHeaderBytes);
  std::string_view nonce(out.data() + kHeaderBytes, kNonceBytes);
  out.resize(offset + plain.size() + kTagBytes);
  unsigned char* dest = Bytes(out) + offset;
  int len = 0;
  return ctx && EVP_EncryptInit_ex2(ctx.get(), cipher, Bytes(key), Bytes(nonce), nullptr) == 1 &&
         EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), kHeaderBytes) == 1 &&
         EVP_EncryptUpdate(ctx.get(), dest, &len, Bytes(plain), static_cast<int>(plain.size())) ==
             1 &&
         EVP_EncryptFinal_ex(ctx.get(), dest + len, &len) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, kTagBytes, dest + plain.size()) == 1;
}

// Decrypts and authenticates raw (header | nonce | ciphertext | tag) into `plain`.
bool Decrypt(const EVP_CIPHER* cipher, std::string_view key, std::string_view raw,
             std::string& plain) {
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string_view nonce = raw.substr(kHeaderBytes, kNonceBytes);
  std::string_view body = raw.substr(kHeaderBytes + kNonceBytes, raw.size() - kOverheadBytes);
  std::array<unsigned char, kTagBytes> tag{};
  std::memcpy(tag.data(), raw.data() + raw.size() - kTagBytes, kTagBytes);
  plain.resize(body.size());
  int len = 0;
  return ctx && EVP_DecryptInit_ex2(ctx.get(), cipher, Bytes(key), Bytes(nonce), nullptr) == 1 &&
         EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(raw), kHeaderBytes) == 1 &&
         EVP_DecryptUpdate(ctx.get(), Bytes(plain), &len, Bytes(body),
                           static_cast<int>(body.size())) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, kTagBytes, tag.data()) == 1 &&
         EVP_DecryptFinal_ex(ctx.get(), Bytes(plain) + len, &len) == 1;
}

}  // namespace

size_t SealedTokenChars(const SessionClaims& claims) {
  std::string plain = EncodeClaims(claims);
  Wipe wipe{plain};
  return Base64Chars(kOverheadBytes + plain.size());
}

int PackedPolicySizePercent(const SessionClaims& claims) {
  return static_cast<int>((SealedTokenChars(claims) * 100 + kMaxSessionTokenChars - 1) /
                          kMaxSessionTokenChars);
}

Result<std::unique_ptr<TokenCodec>> TokenCodec::Create(const TokenKeyRing& ring, Random& random) {
  if (ring.Snapshot()->keys.empty()) {
    return MakeError(ErrorCode::kInternalError, "session token key ring is empty");
  }
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  if (cipher == nullptr) {
    return MakeError(ErrorCode::kInternalError, "OpenSSL has no AES-256-GCM");
  }
  return std::unique_ptr<TokenCodec>(new TokenCodec(ring, random, cipher));
}

TokenCodec::TokenCodec(const TokenKeyRing& ring, Random& random, evp_cipher_st* cipher)
    : ring_(ring), random_(random), cipher_(cipher) {}

TokenCodec::~TokenCodec() { EVP_CIPHER_free(cipher_); }

Result<std::string> TokenCodec::Seal(const SessionClaims& claims) const {
  auto keys = ring_.Snapshot();
  const TokenKey& key = keys->Active();
  if (key.material.Reveal().size() != kTokenKeyBytes) return CipherFailed();
  std::string plain = EncodeClaims(claims);
  Wipe wipe{plain};
  if (Base64Chars(kOverheadBytes + plain.size()) > kMaxSessionTokenChars) {
    return MakeError(ErrorCode::kPackedPolicyTooLarge);
  }

  std::string raw;
  raw.reserve(kOverheadBytes + plain.size());
  PutHeader(key.id, raw);
  std::array<uint8_t, kNonceBytes> nonce{};
  random_.Fill(nonce);
  raw.append(reinterpret_cast<const char*>(nonce.data()), nonce.size());
  if (!Encrypt(cipher_, key.material.Reveal(), plain, raw)) return CipherFailed();
  return Base64Encode(raw);
}

Result<SessionClaims> TokenCodec::Open(std::string_view token) const {
  if (token.size() > kMaxSessionTokenChars) return Invalid();
  auto raw = Base64Decode(token);
  if (!raw || raw->size() <= kOverheadBytes) return Invalid();
  uint8_t version = static_cast<uint8_t>((*raw)[0]);
  if (version < kOldestTokenFormatVersion || version > kTokenFormatVersion) return Invalid();

  auto keys = ring_.Snapshot();
  const TokenKey* key = keys->Find(KeyIdOf(*raw));
  if (key == nullptr || key->material.Reveal().size() != kTokenKeyBytes) return Invalid();

  std::string plain;
  Wipe wipe{plain};
  if (!Decrypt(cipher_, key->material.Reveal(), *raw, plain)) return Invalid();
  auto claims = DecodeClaims(plain, version);
  if (!claims) return Invalid();
  return std::move(*claims);
}

}  // namespace kura::sts
