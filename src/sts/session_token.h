// Session tokens: the opaque x-amz-security-token / X-Amz-Security-Token value that carries a
// temporary session, sealed with AES-256-GCM (OpenSSL EVP) under the key ring's active key.
// Opening it needs only the key ring — no database read — so any node holding the ring's file
// validates every node's tokens in about a microsecond.
//
// Token = standard base64 (with padding; clients URL-encode it in presigned URLs) of
//   version (1 byte) | key id (4 bytes, big-endian) | nonce (12 random bytes) |
//   AES-256-GCM(claims) | tag (16 bytes),  AAD = version | key id.
// Layout of the claims and of the key file: docs/formats/session-token.md.
// The secret access key travels only inside the ciphertext, so nothing visible in a request
// or a presigned URL reveals it.
//
// Thread-safety: Seal and Open may be called concurrently if the Random passed to Create is
// thread-safe (SecureRandom is); the ring may rotate meanwhile.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "common/random.h"
#include "sts/session_claims.h"
#include "sts/token_key_ring.h"


namespace kura::sts {

inline constexpr uint8_t kTokenFormatVersion = 2;
// Tokens sealed by an older server stay valid until they expire.
inline constexpr uint8_t kOldestTokenFormatVersion = 1;
// The longest token kura seals or opens. It travels in a header on every request (S3 allows
// 8 KiB of headers; kura 16 KiB), so, like AWS's "packed size" limit, claims whose token would
// be longer are refused with PackedPolicyTooLarge. A 2048-character session policy plus ten
// policy ARNs and 50 short tags fit; 50 tags of maximal length (128 + 256 chars) do not.
inline constexpr size_t kMaxSessionTokenChars = 8 * 1024;

class TokenCodec {
 public:
  // Borrows `ring` and `random`; both must outlive the codec. Fails if the ring is empty.
  // The cipher is common/crypto's AesGcmSeal/AesGcmOpen (the same AEAD that seals IAM secrets).
  static Result<std::unique_ptr<TokenCodec>> Create(const TokenKeyRing& ring, Random& random);
  TokenCodec(const TokenCodec&) = delete;
  TokenCodec& operator=(const TokenCodec&) = delete;

  // Seals `claims` under the ring's active key with a fresh random nonce. Fails with
  // kPackedPolicyTooLarge if the token would exceed kMaxSessionTokenChars, kInternalError if
  // the active key is not kTokenKeyBytes long.
  Result<std::string> Seal(const SessionClaims& claims) const;

  // The claims in `token`, or kInvalidToken for anything not sealed by a key in the ring:
  // garbage, bad base64, truncated, tampered, unknown version or key id. Does NOT check
  // expiry or the access key id: SessionCredentialResolver does, per request.
  Result<SessionClaims> Open(std::string_view token) const;

 private:
  TokenCodec(const TokenKeyRing& ring, Random& random);

  const TokenKeyRing& ring_;
  Random& random_;
};

// The length of the token Seal makes for `claims` (it depends on neither key nor nonce).
size_t SealedTokenChars(const SessionClaims& claims);
// STS's PackedPolicySize: how much of kMaxSessionTokenChars the token takes, in percent rounded
// up; above 100 Seal answers kPackedPolicyTooLarge. (AWS counts only policies and tags; kura
// counts the whole token, which is what the limit protects.)
int PackedPolicySizePercent(const SessionClaims& claims);

}  // namespace kura::sts
