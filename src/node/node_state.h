// A node's own state outside the metadata of buckets and identities: the management account's
// id, its root credentials, the STS token key ring and where CreateAccount leaves a member
// account's root credentials for the operator. Two homes (issue #20):
//  - DataDirNodeState: files in the data dir, as a single kura has always kept them
//    (docs/formats/data-dir.md);
//  - DocumentNodeState: documents in the MetadataStore that several stateless nodes share
//    (docs/architecture.md, "Node state"), secrets sealed with the secrets key.
// Not here, in either home: the secrets key and the KMS master key ring (node/node_keys.h),
// which seal what the metadata store holds and so must never be stored in it.
// Thread-safety: the Load/Open calls are for start-up and admin commands (they may block on a
// store write: never call them on an io_context thread); AccountCredentials() is thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api/root_credentials.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/key_ring.h"
#include "organizations/organizations_service.h"

namespace kura::node {

class NodeState {
 public:
  virtual ~NodeState() = default;

  // The management account's 12-digit id: the stored one, or a new one stored at first start.
  // When several nodes start at once, they all get the id of the one that stored first.
  virtual Result<std::string> LoadOrCreateAccountId() = 0;
  // KURA_ROOT_ACCESS_KEY / KURA_ROOT_SECRET_KEY when both are set; else the stored ones; else
  // new ones, stored, with newly_created set (the caller prints them once). Of nodes starting
  // at once, only the one whose credentials were stored sees newly_created.
  virtual Result<api::RootCredentials> LoadOrCreateRootCredentials() = 0;
  // The STS token key ring (sts/token_key_ring.h), created with one key at first start; its
  // StoredRevision changes whenever any node rotates it (sts/key_ring_watcher.h).
  virtual Result<std::unique_ptr<KeyRing>> OpenTokenKeyRing(TimePoint now) = 0;
  // How far ahead a rotation dates the new token key (KeyRing::Rotate): zero for the one node
  // of a data dir, sts::kSharedKeyLeadTime for the nodes sharing a store.
  virtual std::chrono::seconds TokenKeyLeadTime() const = 0;
  // Where CreateAccount leaves a member account's root credentials.
  virtual organizations::RootCredentialsSink& AccountCredentials() = 0;

  // Where the root credentials and the token keys are kept, for messages to the operator.
  virtual std::string RootCredentialsPlace() const = 0;
  virtual std::string TokenKeysPlace() const = 0;
};

}  // namespace kura::node
