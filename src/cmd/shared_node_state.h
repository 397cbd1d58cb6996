// Operator commands on nodes that share a metadata store (issue #20): `kura sts rotate-key` and
// `kura account` reach the node state where those nodes keep it — documents in the metadata
// store, their secrets sealed with the secrets key — given the same --metadata and
// --secrets-key-file the nodes serve with. The KMS master key is not needed: nothing here is
// sealed with it.
// Thread-safety: one command's use on one thread.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/random.h"
#include "iam/secret_sealer.h"
#include "node/document_node_state.h"
#include "store/metadata_store.h"

namespace kura::cmd {

// True when --metadata names a shared store (PostgreSQL), whose node state these commands open
// with OpenSharedNodeState rather than read from the data dir.
bool IsSharedMetadata(const std::string& metadata);

class SharedNodeState {
 public:
  // Opens the store and the secrets key as `kura serve` would with these flags; the errors name
  // what to fix (no --secrets-key-file, a key file others may read, an unreachable store).
  static Result<std::unique_ptr<SharedNodeState>> Open(const std::filesystem::path& data_dir,
                                                       const std::string& metadata,
                                                       std::string_view secrets_key_file);
  SharedNodeState(const SharedNodeState&) = delete;
  SharedNodeState& operator=(const SharedNodeState&) = delete;

  node::NodeState& state() { return *state_; }
  // The member accounts' root credentials CreateAccount left (sealed) in the store.
  const node::AccountCredentialDocuments& accounts() const { return *accounts_; }

 private:
  SharedNodeState() = default;

  SecureRandom random_;
  std::unique_ptr<store::MetadataStore> store_;
  std::optional<iam::SecretSealer> sealer_;
  std::unique_ptr<node::DocumentNodeState> state_;
  std::optional<node::AccountCredentialDocuments> accounts_;
};

}  // namespace kura::cmd
