// The CiphertextBlob of the built-in KMS's Encrypt and GenerateDataKey: self-describing, so
// Decrypt finds the key (and the key's material version after rotations) from the blob alone.
//   'K' 1 | key id length (1) | key id | material version (4, big-endian) | nonce (12) |
//   AES-256-GCM(plaintext) | tag (16)
// The associated data is every byte before the nonce followed by the encryption context in a
// canonical form (pairs sorted by key, each part length-prefixed), so changing the key id, the
// version or any context pair fails authentication (InvalidCiphertextException).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/random.h"
#include "common/secret.h"
#include "kms/key_provider.h"

namespace kura::kms {

struct CiphertextHeader {
  std::string key_id;
  uint32_t material_version = 0;
};

// Encrypts `plaintext` under `material` (32 bytes) for the key and version of `header`.
std::string SealCiphertext(const CiphertextHeader& header, const Secret& material,
                           std::string_view plaintext, const EncryptionContext& context,
                           Random& random);
// The header of a blob SealCiphertext made; nullopt when it is not one.
std::optional<CiphertextHeader> PeekCiphertext(std::string_view blob);
// The plaintext, or kKmsInvalidCiphertext when the blob, the material or the context differ.
Result<Secret> OpenCiphertext(std::string_view blob, const Secret& material,
                              const EncryptionContext& context);

}  // namespace kura::kms
