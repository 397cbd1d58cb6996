#include "node/node_keys.h"

#include <system_error>

#include "api/root_credentials.h"

namespace kura::node {
namespace {

constexpr std::string_view kSharedKeysHelp =
    " nodes sharing one metadata store need the same key on every node: make it once and copy "
    "it, mode 0600, to each (docs/architecture.md, \"Node state\")";

}  // namespace

Result<Secret> OpenSecretsKey(NodeStateHome home, const std::filesystem::path& data_dir,
                              std::string_view flag_value, Random& random) {
  if (home == NodeStateHome::kDataDir) {
    if (flag_value.empty()) return api::LoadOrCreateSecretsKey(data_dir, random);
    return api::LoadOrCreateSecretsKeyFile(std::filesystem::path(flag_value), random);
  }
  if (flag_value.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a node sharing its metadata store needs --secrets-key-file (32 random "
                     "bytes, e.g. head -c 32 /dev/urandom);" +
                         std::string(kSharedKeysHelp));
  }
  auto key = api::LoadSecretsKeyFile(std::filesystem::path(flag_value));
  if (!key && key.error().code == ErrorCode::kNoSuchEntity) {
    return MakeError(ErrorCode::kInvalidArgument, "--secrets-key-file " + std::string(flag_value) +
                                                      " does not exist;" +
                                                      std::string(kSharedKeysHelp));
  }
  return key;
}

Result<void> CheckMasterKeySource(NodeStateHome home, std::string_view flag_value,
                                  std::string_view env_key) {
  if (home == NodeStateHome::kDataDir || !env_key.empty()) return Ok();
  if (flag_value.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a node sharing its metadata store needs its master key ring from "
                     "--master-key-file or KURA_MASTER_KEY (kura kms rotate-master-key "
                     "--master-key-file FILE makes one);" +
                         std::string(kSharedKeysHelp));
  }
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(flag_value), ec)) {
    return MakeError(ErrorCode::kInvalidArgument, "--master-key-file " + std::string(flag_value) +
                                                      " does not exist;" +
                                                      std::string(kSharedKeysHelp));
  }
  return Ok();
}

}  // namespace kura::node
