// Node state as documents of a MetadataStore shared by several stateless nodes (issue #20;
// the documents: node/node_documents.h). Every node starting against the same store ends with
// the same account id, root credentials and token key ring, whichever stored them first; a
// rotation by one node reaches the others at their next poll of the ring (KeyRingReloader: 5 s).
// Secrets are sealed with the secrets key (iam/secret_sealer.h), which the store never holds.
// Thread-safety: as NodeState.
#pragma once

#include "common/random.h"
#include "iam/secret_sealer.h"
#include "node/node_state.h"
#include "sts/key_ring_watcher.h"
#include "store/metadata_store.h"

namespace kura::node {

// "AKIA…\n<sealed secret>\n": the value of a root-credentials document (the root's and each
// member account's), the secret sealed with the access key id as associated data.
std::string SealCredentialsDocument(const iam::SecretSealer& sealer, std::string_view access_key_id,
                                    const Secret& secret_key);
// The credentials in such a value; kInternalError naming `where` when malformed or not
// sealed with this key.
Result<api::RootCredentials> OpenCredentialsDocument(const iam::SecretSealer& sealer,
                                                     std::string_view value,
                                                     std::string_view where);

// Leaves a member account's root credentials in its node-state.account-credentials document,
// the secret sealed. Called on the blocking pool (it waits for the store's commit).
class AccountCredentialDocuments final : public organizations::RootCredentialsSink {
 public:
  AccountCredentialDocuments(store::MetadataStore& metadata, const iam::SecretSealer& sealer)
      : metadata_(metadata), sealer_(sealer) {}
  Result<void> Write(std::string_view account_id, std::string_view access_key_id,
                     const Secret& secret_key) override;
  // The credentials CreateAccount left for `account_id`; kNoSuchEntity when none.
  Result<api::RootCredentials> Read(std::string_view account_id) const;

 private:
  store::MetadataStore& metadata_;
  const iam::SecretSealer& sealer_;
};

class DocumentNodeState final : public NodeState {
 public:
  // Borrows all; `random` must be thread-safe (SecureRandom).
  DocumentNodeState(store::MetadataStore& metadata, const iam::SecretSealer& sealer,
                    Random& random);

  Result<std::string> LoadOrCreateAccountId() override;
  Result<api::RootCredentials> LoadOrCreateRootCredentials() override;
  Result<std::unique_ptr<KeyRing>> OpenTokenKeyRing(TimePoint now) override;
  std::chrono::seconds TokenKeyLeadTime() const override { return sts::kSharedKeyLeadTime; }
  organizations::RootCredentialsSink& AccountCredentials() override { return account_documents_; }
  std::string RootCredentialsPlace() const override;
  std::string TokenKeysPlace() const override;

 private:
  store::MetadataStore& metadata_;
  const iam::SecretSealer& sealer_;
  Random& random_;
  AccountCredentialDocuments account_documents_;
};

}  // namespace kura::node
