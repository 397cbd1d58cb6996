// The node state half of `kura migrate` (migration.h): a data dir's node-state files
// (node/data_dir_node_state.h: DATA/account-id, DATA/root-credentials, DATA/sts-keys,
// DATA/accounts/ID/root-credentials) as the documents nodes sharing a metadata store keep
// (node/node_documents.h), their secrets sealed with the shared secrets key — so that the shared
// nodes have the same account, the same root credentials and the same session token keys (a
// token minted before the migration stays valid after it).
// Thread-safety: plain functions.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"
#include "iam/secret_sealer.h"
#include "store/metadata_store.h"
#include "store/records.h"

namespace kura::migrate {

struct NodeStateFiles {
  std::vector<store::DocumentWrite> documents;
  bool root_credentials = false;  // DATA/root-credentials was there (else they come from the
                                  // environment, KURA_ROOT_ACCESS_KEY/KURA_ROOT_SECRET_KEY)
  bool token_keys = false;        // DATA/sts-keys was there
  int member_accounts = 0;        // DATA/accounts/ID/root-credentials files
};

// Reads the files (never writes them). kInvalidArgument when DATA/account-id is missing (not
// a data dir kura ever served from); kInternalError for a malformed file.
Result<NodeStateFiles> ReadNodeState(const std::filesystem::path& data_dir,
                                     const iam::SecretSealer& sealer);

// Reads the node state back from `target` through the shared nodes' own code (DocumentNodeState,
// DocumentKeyRingStorage) and compares it with the files; each difference is appended.
void VerifyNodeState(const std::filesystem::path& data_dir, store::MetadataStore& target,
                     const iam::SecretSealer& sealer, std::vector<std::string>& mismatches);

}  // namespace kura::migrate
