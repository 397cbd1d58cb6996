#include "kms/key_use.h"

#include <openssl/crypto.h>

#include <vector>

#include "kms/ciphertext_blob.h"

namespace kura::kms {

Result<void> CheckUsable(const KmsKey& key) {
  switch (key.state) {
    case KeyState::kEnabled: return Ok();
    case KeyState::kDisabled:
      return MakeError(ErrorCode::kKmsDisabled, key.Arn() + " is disabled.");
    case KeyState::kPendingDeletion:
      return MakeError(ErrorCode::kKmsInvalidState, key.Arn() + " is pending deletion.");
  }
  return MakeError(ErrorCode::kKmsInternal);
}

Result<std::string> EncryptUnder(const KeyRegistry& registry, const KmsKey& key,
                                 std::string_view plaintext, const EncryptionContext& context) {
  auto version = static_cast<uint32_t>(key.sealed_materials.size() - 1);
  auto material = registry.Material(key, version);
  if (!material) return material.error();
  return SealCiphertext({key.key_id, version}, *material, plaintext, context, registry.random());
}

Result<KmsKey> KeyOfCiphertextBlob(const KeyRegistry& registry, std::string_view account_id,
                               std::string_view blob) {
  auto header = PeekCiphertext(blob);
  if (!header) return MakeError(ErrorCode::kKmsInvalidCiphertext);
  return registry.Resolve(account_id, header->key_id);
}

Result<Secret> DecryptUnder(const KeyRegistry& registry, const KmsKey& key, std::string_view blob,
                            const EncryptionContext& context) {
  auto header = PeekCiphertext(blob);
  if (!header) return MakeError(ErrorCode::kKmsInvalidCiphertext);
  if (header->key_id != key.key_id) return MakeError(ErrorCode::kKmsIncorrectKey);
  auto material = registry.Material(key, header->material_version);
  if (!material) return material.error();
  return OpenCiphertext(blob, *material, context);
}

Secret NewDataKey(Random& random, size_t bytes) {
  std::vector<uint8_t> buffer(bytes);
  random.Fill(buffer);
  Secret key(std::string(reinterpret_cast<const char*>(buffer.data()), buffer.size()));
  OPENSSL_cleanse(buffer.data(), buffer.size());
  return key;
}

Error ToS3KmsError(const Error& error) {
  switch (error.code) {
    case ErrorCode::kKmsDisabled: return MakeError(ErrorCode::kS3KmsDisabled, error.message);
    case ErrorCode::kKmsInvalidState: return MakeError(ErrorCode::kS3KmsInvalidState, error.message);
    case ErrorCode::kKmsNotFound:
    case ErrorCode::kKmsInvalidArn: return MakeError(ErrorCode::kS3KmsNotFound, error.message);
    default: return error;
  }
}

}  // namespace kura::kms
