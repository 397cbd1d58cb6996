#include "sts/session_token.h"

#include <openssl/crypto.h>

#include <array>

#include "common/crypto.h"
#include "common/encoding.h"
#include "sts/claims_encoding.h"

namespace kura::sts {
namespace {

constexpr size_t kHeaderBytes = 5;  // version + key id: the AAD
constexpr size_t kNonceBytes = kAesGcmNonceBytes;
constexpr size_t kTagBytes = kAesGcmTagBytes;
constexpr size_t kOverheadBytes = kHeaderBytes + kNonceBytes + kTagBytes;

size_t Base64Chars(size_t bytes) { return (bytes + 2) / 3 * 4; }

// Wipes a buffer that held plaintext claims (the secret key) when it goes out of scope.
struct Wipe {
  std::string& buffer;
  ~Wipe() { OPENSSL_cleanse(buffer.data(), buffer.size()); }
};

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
  return std::unique_ptr<TokenCodec>(new TokenCodec(ring, random));
}

TokenCodec::TokenCodec(const TokenKeyRing& ring, Random& random) : ring_(ring), random_(random) {}

Result<std::string> TokenCodec::Seal(const SessionClaims& claims) const {
  auto keys = ring_.Snapshot();
  const TokenKey& key = keys->SealingKeyAt(claims.issued_at);
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
  // The header (version and key id) is the associated data: a token cannot change its key id.
  std::string_view header(raw.data(), kHeaderBytes);
  std::string_view nonce_bytes(raw.data() + kHeaderBytes, kNonceBytes);
  raw += AesGcmSeal(key.material.Reveal(), nonce_bytes, plain, header);
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

  std::string_view sealed(*raw);
  auto opened = AesGcmOpen(key->material.Reveal(), sealed.substr(kHeaderBytes, kNonceBytes),
                           sealed.substr(kHeaderBytes + kNonceBytes), sealed.substr(0, kHeaderBytes));
  if (!opened) return Invalid();
  std::string& plain = *opened;
  Wipe wipe{plain};
  auto claims = DecodeClaims(plain, version);
  if (!claims) return Invalid();
  return std::move(*claims);
}

}  // namespace kura::sts
