#include "node/node_documents.h"

#include "store/wait.h"

namespace kura::node {

Result<AdoptedDocument> AdoptOrCreateDocument(store::MetadataStore& metadata, std::string_view kind,
                                              std::string_view id, std::string candidate) {
  auto existing = metadata.GetDocument(kind, id);
  if (!existing) return existing.error();
  if (*existing) return AdoptedDocument{std::move(**existing), false};
  auto stored = store::WaitFor<bool>([&](store::Callback<bool> done) {
    metadata.PutDocumentIf({std::string(kind), std::string(id), candidate}, std::nullopt,
                           std::move(done));
  });
  if (!stored) return stored.error();
  if (*stored) return AdoptedDocument{std::move(candidate), true};
  // Another node stored its own between our read and our write: theirs is the one.
  auto winner = metadata.GetDocument(kind, id);
  if (!winner) return winner.error();
  if (!*winner) {
    return MakeError(ErrorCode::kInternalError, "document " + std::string(kind) + "/" +
                                                    std::string(id) +
                                                    " was deleted while it was being created");
  }
  return AdoptedDocument{std::move(**winner), false};
}

}  // namespace kura::node
