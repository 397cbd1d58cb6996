#include "node/open_node_state.h"

#include "node/data_dir_node_state.h"
#include "node/document_node_state.h"

namespace kura::node {

std::unique_ptr<NodeState> OpenNodeState(NodeStateHome home, const std::filesystem::path& data_dir,
                                         store::MetadataStore& metadata,
                                         const iam::SecretSealer& sealer, Random& random) {
  switch (home) {
    case NodeStateHome::kDataDir:
      return std::make_unique<DataDirNodeState>(data_dir, random);
    case NodeStateHome::kMetadataStore:
      return std::make_unique<DocumentNodeState>(metadata, sealer, random);
  }
  return nullptr;  // unreachable: the switch is exhaustive (-Wswitch)
}

}  // namespace kura::node
