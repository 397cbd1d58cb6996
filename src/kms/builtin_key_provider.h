// kura's own KeyProvider (kms/key_provider.h): SSE-S3 data keys sealed under the master key
// ring (kms/master_seal.h); SSE-KMS data keys under the built-in KMS's keys (kms/key_use.h),
// answering S3's KMS.* codes, so a disabled or pending-deletion key makes its objects
// unreadable until it is enabled again.
// The AWS managed key alias/aws/s3 of an account is created on its first use; that one write
// blocks the calling thread until it is durable (once per account).
// Thread-safety: all members may be called concurrently (Random must be thread-safe).
#pragma once

#include <mutex>

#include "common/key_ring.h"
#include "common/random.h"
#include "kms/key_provider.h"
#include "kms/key_registry.h"

namespace kura::kms {

// What an SSE-S3 data key is sealed for (master_seal.h's purpose).
inline constexpr std::string_view kSseS3DataKeyPurpose = "kura sse-s3 data key";
// The alias of the AWS managed key S3 uses when a request names none.
inline constexpr std::string_view kS3ManagedKeyAlias = "alias/aws/s3";

class BuiltinKeyProvider final : public KeyProvider {
 public:
  // Borrows everything, which must outlive it. Without `registry`, SSE-KMS answers
  // KMS.NotFoundException.
  BuiltinKeyProvider(const KeyRing& master, Random& random, KeyRegistry* registry);

  Result<DataKey> NewMasterSealedKey() override;
  Result<Secret> OpenMasterSealedKey(std::string_view sealed) override;

  Result<std::string> ResolveKeyArn(std::string_view account_id, std::string_view key_id) override;
  Result<DataKey> GenerateDataKey(std::string_view key_arn,
                                  const EncryptionContext& context) override;
  Result<Secret> Decrypt(std::string_view key_arn, std::string_view sealed,
                         const EncryptionContext& context) override;

 private:
  Result<KmsKey> UsableKey(std::string_view key_arn) const;
  Result<std::string> CreateManagedKey(std::string_view account_id);

  const KeyRing& master_;
  Random& random_;
  KeyRegistry* registry_;
  std::mutex create_mu_;  // one alias/aws/s3 per account, even when two writes race to it
};

}  // namespace kura::kms
