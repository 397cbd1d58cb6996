// The account root's credentials and the resolver that knows them. Root credentials come from
// KURA_ROOT_ACCESS_KEY / KURA_ROOT_SECRET_KEY, else from DATA/root-credentials (mode 0600),
// which the first start creates with a new AKIA… key and 40-character secret. Also the data
// dir's other small private files: the account id and the secrets key.
// Thread-safety: the resolver is immutable after construction.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/error.h"
#include "common/random.h"
#include "common/secret.h"
#include "sigv4/credential_resolver.h"

namespace kura::api {

struct RootCredentials {
  std::string access_key_id;
  Secret secret_key;
  bool newly_created = false;  // the caller prints them once
};

// Environment first, then the file; creates the file when neither exists.
Result<RootCredentials> LoadOrCreateRootCredentials(const std::filesystem::path& data_dir, Random& random);

// The account id, kept in DATA/account-id; created at first start.
Result<std::string> LoadOrCreateAccountId(const std::filesystem::path& data_dir, Random& random);

// The key that seals IAM users' secrets in the metadata store (iam/secret_sealer.h), kept in
// DATA/secrets.key: 32 random bytes, mode 0600, created at first start. kInternalError for a
// file of another size, or one that group or others may read (it would defeat its purpose).
Result<Secret> LoadOrCreateSecretsKey(const std::filesystem::path& data_dir, Random& random);
// The same for a key file at any path (--secrets-key-file).
Result<Secret> LoadOrCreateSecretsKeyFile(const std::filesystem::path& path, Random& random);
// Reads an existing secrets key file, checked as above; kNoSuchEntity when there is none.
Result<Secret> LoadSecretsKeyFile(const std::filesystem::path& path);

// Writes `contents` to `path` atomically (temp + fsync + rename + dir fsync) with mode 0600.
Result<void> WritePrivateFile(const std::filesystem::path& path, std::string_view contents);

// Resolves the root key to the account root principal; every other credential is not its own
// (kInvalidAccessKeyId: the chain asks the next resolver).
class RootCredentialResolver final : public sigv4::CredentialResolver {
 public:
  RootCredentialResolver(RootCredentials root, std::string account_id);
  Result<sigv4::ResolvedCredential> Resolve(std::string_view access_key_id,
                                            std::string_view session_token) const override;

 private:
  RootCredentials root_;
  std::shared_ptr<const Principal> principal_;
};

}  // namespace kura::api
