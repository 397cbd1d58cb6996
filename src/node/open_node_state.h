// The one place where a node's state gets its home (node/node_state.h): `kura serve` calls this
// with the home its flags chose (kMetadataStore with --metadata postgresql://…, after the secrets
// key and master key checks of node/node_keys.h), and so does `kura sts rotate-key`.
// Thread-safety: a plain function.
#pragma once

#include <filesystem>
#include <memory>

#include "common/random.h"
#include "iam/secret_sealer.h"
#include "node/node_keys.h"
#include "node/node_state.h"
#include "store/metadata_store.h"

namespace kura::node {

// Borrows everything; it must outlive the state. `metadata` and `sealer` serve kMetadataStore
// only (the data dir serves kDataDir).
std::unique_ptr<NodeState> OpenNodeState(NodeStateHome home, const std::filesystem::path& data_dir,
                                         store::MetadataStore& metadata,
                                         const iam::SecretSealer& sealer, Random& random);

}  // namespace kura::node
