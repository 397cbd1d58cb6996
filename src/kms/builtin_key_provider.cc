#include "kms/builtin_key_provider.h"

#include "kms/key_use.h"
#include "kms/master_seal.h"
#include "store/wait.h"

namespace kura::kms {
namespace {

constexpr size_t kDataKeyBytes = 32;  // AES-256
constexpr char kManagedKeyDescription[] =
    "Default key that protects my S3 objects when no other key is defined";

// The account of "arn:aws:kms:REGION:ACCOUNT:key/ID".
std::string_view AccountOfArn(std::string_view arn) {
  size_t start = 0;
  for (int colon = 0; colon < 4; ++colon) {
    start = arn.find(':', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  return arn.substr(start, arn.find(':', start) - start);
}

}  // namespace

BuiltinKeyProvider::BuiltinKeyProvider(const KeyRing& master, Random& random, KeyRegistry* registry)
    : master_(master), random_(random), registry_(registry) {}

Result<DataKey> BuiltinKeyProvider::NewMasterSealedKey() {
  DataKey key{NewDataKey(random_, kDataKeyBytes), ""};
  key.sealed =
      SealUnderMaster(*master_.Snapshot(), random_, key.plaintext.Reveal(), kSseS3DataKeyPurpose);
  return key;
}

Result<Secret> BuiltinKeyProvider::OpenMasterSealedKey(std::string_view sealed) {
  return OpenUnderMaster(*master_.Snapshot(), sealed, kSseS3DataKeyPurpose);
}

Result<std::string> BuiltinKeyProvider::ResolveKeyArn(std::string_view account_id,
                                                      std::string_view key_id) {
  if (registry_ == nullptr) return MakeError(ErrorCode::kS3KmsNotFound);
  auto key = registry_->Resolve(account_id, key_id.empty() ? kS3ManagedKeyAlias : key_id);
  if (key) return key->Arn();
  if (!key_id.empty() || key.error().code != ErrorCode::kKmsNotFound) {
    return ToS3KmsError(key.error());
  }
  return CreateManagedKey(account_id);
}

Result<std::string> BuiltinKeyProvider::CreateManagedKey(std::string_view account_id) {
  std::lock_guard lock(create_mu_);
  if (auto key = registry_->Resolve(account_id, kS3ManagedKeyAlias)) return key->Arn();
  KmsKey key = registry_->NewKey(account_id, kManagedKeyDescription, DefaultKeyPolicy(account_id));
  key.aws_managed = true;
  std::string arn = key.Arn(), key_id = key.key_id;
  auto saved = store::WaitFor<void>(
      [&](store::Callback<void> done) { registry_->Save(std::move(key), std::move(done)); });
  if (saved) {
    saved = store::WaitFor<void>([&](store::Callback<void> done) {
      registry_->SaveAlias(std::string(account_id), std::string(kS3ManagedKeyAlias), key_id,
                           std::move(done));
    });
  }
  if (!saved) return saved.error();
  return arn;
}

Result<KmsKey> BuiltinKeyProvider::UsableKey(std::string_view key_arn) const {
  if (registry_ == nullptr) return MakeError(ErrorCode::kS3KmsNotFound);
  auto key = registry_->Resolve(AccountOfArn(key_arn), key_arn);
  if (!key) return ToS3KmsError(key.error());
  if (auto usable = CheckUsable(*key); !usable) return ToS3KmsError(usable.error());
  return key;
}

Result<DataKey> BuiltinKeyProvider::GenerateDataKey(std::string_view key_arn,
                                                    const EncryptionContext& context) {
  auto key = UsableKey(key_arn);
  if (!key) return key.error();
  DataKey data_key{NewDataKey(random_, kDataKeyBytes), ""};
  auto sealed = EncryptUnder(*registry_, *key, data_key.plaintext.Reveal(), context);
  if (!sealed) return MakeError(ErrorCode::kInternalError, "cannot seal an SSE-KMS data key");
  data_key.sealed = std::move(*sealed);
  return data_key;
}

Result<Secret> BuiltinKeyProvider::Decrypt(std::string_view key_arn, std::string_view sealed,
                                           const EncryptionContext& context) {
  auto key = UsableKey(key_arn);
  if (!key) return key.error();
  auto opened = DecryptUnder(*registry_, *key, sealed, context);
  if (!opened) return MakeError(ErrorCode::kInternalError, "cannot open an SSE-KMS data key");
  return opened;
}

}  // namespace kura::kms
