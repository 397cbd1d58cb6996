// The documents that hold node state in a shared MetadataStore (DocumentNodeState), and the
// create-if-absent that lets nodes starting at once agree on one value.
//
//   kind "node-state", id "account-id"        the management account's 12-digit id (plain)
//   kind "node-state", id "root-credentials"  "AKIA…\n<sealed secret>\n"; the secret sealed as an
//                                             IAM user's (iam/secret_sealer.h, the access key id
//                                             as associated data)
//   kind "node-state", id "sts-token-keys"    the token key ring's file text
//                                             (docs/formats/session-token.md), sealed whole with
//                                             "node-state/sts-token-keys" as associated data
//   kind "node-state.account-credentials",    a member account's root credentials, as
//        id the account id                    root-credentials
// Thread-safety: AdoptOrCreateDocument blocks on a store write: not on an io_context thread.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "store/metadata_store.h"

namespace kura::node {

inline constexpr std::string_view kNodeStateKind = "node-state";
inline constexpr std::string_view kAccountIdDocument = "account-id";
inline constexpr std::string_view kRootCredentialsDocument = "root-credentials";
inline constexpr std::string_view kTokenKeysDocument = "sts-token-keys";
inline constexpr std::string_view kAccountCredentialsKind = "node-state.account-credentials";

struct AdoptedDocument {
  std::string value;
  bool created = false;  // true: `candidate` was stored by this call
};

// The document's value; when there is none, stores `candidate` if still absent
// (MetadataStore::PutDocumentIf) and otherwise adopts what the node that stored first wrote.
Result<AdoptedDocument> AdoptOrCreateDocument(store::MetadataStore& metadata, std::string_view kind,
                                              std::string_view id, std::string candidate);

}  // namespace kura::node
