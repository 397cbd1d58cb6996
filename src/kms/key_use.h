// The cryptographic use of a KMS key, shared by the KMS API (Encrypt, Decrypt, GenerateDataKey,
// ReEncrypt) and the KeyProvider S3 asks: which states allow it, encrypting under the key's
// newest material, and decrypting a CiphertextBlob with the material version it names.
// Authorization is the caller's. Errors are KMS's; S3 maps them (ToS3KmsError).
// Thread-safety: as KeyRegistry.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/secret.h"
#include "kms/key_provider.h"
#include "kms/key_registry.h"

namespace kura::kms {

// Ok for an enabled key; kKmsDisabled, or kKmsInvalidState while pending deletion.
Result<void> CheckUsable(const KmsKey& key);

// A CiphertextBlob of `plaintext` under the key's newest material.
Result<std::string> EncryptUnder(const KeyRegistry& registry, const KmsKey& key,
                                 std::string_view plaintext, const EncryptionContext& context);

// The key a CiphertextBlob names, in `account_id`: kKmsInvalidCiphertext when `blob` is not
// one, kKmsNotFound when its key is gone.
Result<KmsKey> KeyOfCiphertextBlob(const KeyRegistry& registry, std::string_view account_id,
                               std::string_view blob);
// Decrypts a blob of `key` (CheckUsable first): kKmsInvalidCiphertext when the blob or the
// context differ from the encryption's.
Result<Secret> DecryptUnder(const KeyRegistry& registry, const KmsKey& key, std::string_view blob,
                            const EncryptionContext& context);

// A fresh data key of `bytes` random bytes.
Secret NewDataKey(Random& random, size_t bytes);

// S3's code for a KMS error about its key (KMS.DisabledException, …); others unchanged.
Error ToS3KmsError(const Error& error);

}  // namespace kura::kms
