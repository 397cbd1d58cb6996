// The two keys a node never keeps in the metadata store, in either home of its state
// (node/node_state.h): the secrets key, which seals the secrets the store holds (IAM users',
// the root's, the token key ring), and the KMS master key ring (kms/master_key_ring.h), which
// seals SSE-S3 data keys and KMS key material. Stored beside what they seal, they would protect
// nothing. A single node keeps them in its data dir, creating them at first start, as ever.
// Nodes sharing one metadata store need the same keys: the operator makes them once and copies
// them to every node; a node never makes its own (it could not open what the others sealed), so
// it refuses to start without them.
// Thread-safety: plain functions.
#pragma once

#include <filesystem>
#include <string_view>

#include "common/error.h"
#include "common/random.h"
#include "common/secret.h"

namespace kura::node {

// Where a node's state lives (node/node_state.h).
enum class NodeStateHome {
  kDataDir,        // DataDirNodeState: one node, its data dir
  kMetadataStore,  // DocumentNodeState: nodes sharing one metadata store (issue #20)
};

// The secrets key. `flag_value`: --secrets-key-file (empty: DATA/secrets.key). kDataDir: loaded,
// or created at first start. kMetadataStore: the file must be named and exist (kInvalidArgument
// saying what to do otherwise). kInternalError for a file that is not 32 bytes or that group or
// others may read.
Result<Secret> OpenSecretsKey(NodeStateHome home, const std::filesystem::path& data_dir,
                              std::string_view flag_value, Random& random);

// kMetadataStore: the master key ring must come from KURA_MASTER_KEY (`env_key`) or an existing
// --master-key-file (`flag_value`), never from a file this node would create; kInvalidArgument
// saying what to do otherwise. kDataDir: always fine (DATA/kms/master.keys is created).
Result<void> CheckMasterKeySource(NodeStateHome home, std::string_view flag_value,
                                  std::string_view env_key);

}  // namespace kura::node
