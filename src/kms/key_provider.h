// What S3 asks of a key service when it encrypts objects: data keys for SSE-S3, sealed under
// kura's master key ring, and data keys for SSE-KMS, sealed under a KMS key with an encryption
// context bound as associated data. The built-in KMS (src/kms/) implements it; an external one
// (a KMIP server, a Vault-style transit API) would implement the same five calls, and the
// sealed forms it returns are opaque to S3, which stores them in each blob's header
// (crypt/encrypted_blob.h).
//
// No call here authorizes anything: S3 authorizes kms:GenerateDataKey / kms:Decrypt on the key
// ARN as the caller (identity policies and the key's policy) before it asks.
// Thread-safety: implementations allow concurrent calls.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/secret.h"

namespace kura::kms {

// Key-value pairs bound to a KMS ciphertext as associated data: Decrypt needs the same pairs.
using EncryptionContext = std::map<std::string, std::string>;

// A fresh 256-bit data key: its plaintext, to encrypt one blob, and its sealed form, stored
// beside the ciphertext.
struct DataKey {
  Secret plaintext;
  std::string sealed;
};

class KeyProvider {
 public:
  virtual ~KeyProvider() = default;

  // SSE-S3: a data key sealed under the newest master key, and back (with whichever master key
  // sealed it). kInternalError when `sealed` is malformed or names a master key no longer held.
  virtual Result<DataKey> NewMasterSealedKey() = 0;
  virtual Result<Secret> OpenMasterSealedKey(std::string_view sealed) = 0;

  // SSE-KMS: the ARN of the KMS key that `key_id` names in `account_id` (a key id, key ARN,
  // alias name "alias/…" or alias ARN); "" names the account's AWS managed key "alias/aws/s3",
  // created on first use. kS3KmsNotFound when there is no such key.
  virtual Result<std::string> ResolveKeyArn(std::string_view account_id, std::string_view key_id) = 0;
  // A data key under the KMS key `key_arn`, as KMS GenerateDataKey. kS3KmsDisabled /
  // kS3KmsInvalidState (pending deletion) / kS3KmsNotFound when the key cannot be used.
  virtual Result<DataKey> GenerateDataKey(std::string_view key_arn, const EncryptionContext& context) = 0;
  // The plaintext of a data key GenerateDataKey sealed, as KMS Decrypt: the same errors, and
  // kInternalError when `sealed` does not open under `key_arn` with `context`.
  virtual Result<Secret> Decrypt(std::string_view key_arn, std::string_view sealed,
                                 const EncryptionContext& context) = 0;
};

}  // namespace kura::kms
