#include "cmd/shared_node_state.h"

#include "node/node_keys.h"
#include "store/open_store.h"

namespace kura::cmd {

bool IsSharedMetadata(const std::string& metadata) {
  return store::SharesMetadata(store::StoreLocations{metadata, "files"});
}

Result<std::unique_ptr<SharedNodeState>> SharedNodeState::Open(
    const std::filesystem::path& data_dir, const std::string& metadata,
    std::string_view secrets_key_file) {
  std::unique_ptr<SharedNodeState> opened(new SharedNodeState());
  auto key = node::OpenSecretsKey(node::NodeStateHome::kMetadataStore, data_dir, secrets_key_file,
                                  opened->random_);
  if (!key) return key.error();
  auto sealer = iam::SecretSealer::Create(std::move(*key), opened->random_);
  if (!sealer) return sealer.error();
  opened->sealer_.emplace(std::move(*sealer));
  auto store = store::OpenMetadataStore(data_dir, metadata);
  if (!store) {
    return MakeError(store.error().code,
                     "cannot open the metadata store: " + store.error().message);
  }
  opened->store_ = std::move(*store);
  opened->state_ = std::make_unique<node::DocumentNodeState>(*opened->store_, *opened->sealer_,
                                                             opened->random_);
  opened->accounts_.emplace(*opened->store_, *opened->sealer_);
  return opened;
}

}  // namespace kura::cmd
