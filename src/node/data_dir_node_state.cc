#include "node/data_dir_node_state.h"

#include "sts/token_key_ring.h"

namespace kura::node {

std::filesystem::path TokenKeyFile(const std::filesystem::path& data_dir) {
  return data_dir / "sts-keys";
}

DataDirNodeState::DataDirNodeState(std::filesystem::path data_dir, Random& random)
    : data_dir_(std::move(data_dir)), random_(random), account_files_(data_dir_) {}

Result<std::string> DataDirNodeState::LoadOrCreateAccountId() {
  return api::LoadOrCreateAccountId(data_dir_, random_);
}

Result<api::RootCredentials> DataDirNodeState::LoadOrCreateRootCredentials() {
  return api::LoadOrCreateRootCredentials(data_dir_, random_);
}

Result<std::unique_ptr<KeyRing>> DataDirNodeState::OpenTokenKeyRing(TimePoint now) {
  return KeyRing::OpenOrCreate(TokenKeyFile(data_dir_), sts::kTokenKeys, random_, now);
}

std::string DataDirNodeState::RootCredentialsPlace() const {
  return (data_dir_ / "root-credentials").string() + ", mode 0600";
}

std::string DataDirNodeState::TokenKeysPlace() const { return TokenKeyFile(data_dir_).string(); }

}  // namespace kura::node
