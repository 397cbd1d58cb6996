// Node state in data-dir files, as a single kura keeps it (docs/formats/data-dir.md): DATA/
// account-id, DATA/root-credentials, DATA/sts-keys and DATA/accounts/ID/root-credentials, in
// their formats of old, so that existing data dirs open unchanged.
// Thread-safety: as NodeState.
#pragma once

#include <filesystem>

#include "common/random.h"
#include "node/account_credential_files.h"
#include "node/node_state.h"

namespace kura::node {

// The token key ring's file in a data dir.
std::filesystem::path TokenKeyFile(const std::filesystem::path& data_dir);

class DataDirNodeState final : public NodeState {
 public:
  // Borrows `random`, which must be thread-safe (SecureRandom) and outlive this.
  DataDirNodeState(std::filesystem::path data_dir, Random& random);

  Result<std::string> LoadOrCreateAccountId() override;
  Result<api::RootCredentials> LoadOrCreateRootCredentials() override;
  Result<std::unique_ptr<KeyRing>> OpenTokenKeyRing(TimePoint now) override;
  std::chrono::seconds TokenKeyLeadTime() const override { return {}; }
  organizations::RootCredentialsSink& AccountCredentials() override { return account_files_; }
  std::string RootCredentialsPlace() const override;
  std::string TokenKeysPlace() const override;

 private:
  const std::filesystem::path data_dir_;
  Random& random_;
  AccountCredentialFiles account_files_;
};

}  // namespace kura::node
