#include "node/document_key_ring.h"

#include "common/key_ring_file.h"
#include "store/wait.h"

namespace kura::node {

DocumentKeyRingStorage::DocumentKeyRingStorage(store::MetadataStore& metadata,
                                               const iam::SecretSealer& sealer,
                                               const KeyRingKind& kind, std::string document_kind,
                                               std::string document_id)
    : metadata_(metadata),
      sealer_(sealer),
      kind_(kind),
      document_kind_(std::move(document_kind)),
      document_id_(std::move(document_id)) {}

std::string SealKeyRingDocument(const iam::SecretSealer& sealer, const KeyRingKind& kind,
                                std::string_view document_kind, std::string_view document_id,
                                const KeySet& keys) {
  std::string label = std::string(document_kind) + "/" + std::string(document_id);
  return sealer.Seal(label, Secret(FormatKeyFile(kind, keys)));
}

Result<StoredKeySet> DocumentKeyRingStorage::Load() {
  auto sealed = metadata_.GetDocument(document_kind_, document_id_);
  if (!sealed) return sealed.error();
  if (!*sealed) return MakeError(ErrorCode::kNoSuchEntity, Label());
  auto text = sealer_.Open(Label(), **sealed);
  if (!text) {
    return MakeError(ErrorCode::kInternalError, std::string(kind_.name) + " in document " +
                                                    Label() + ": " + text.error().message);
  }
  auto keys = ParseKeyFile(kind_, text->Reveal());
  if (!keys) return keys.error();
  return StoredKeySet{std::move(*keys), std::move(**sealed)};
}

Result<bool> DocumentKeyRingStorage::Replace(const StoredKeySet* base, const KeySet& next) {
  std::string sealed = SealKeyRingDocument(sealer_, kind_, document_kind_, document_id_, next);
  std::optional<std::string> expected;
  if (base != nullptr) expected = base->revision;
  return store::WaitFor<bool>([&](store::Callback<bool> done) {
    metadata_.PutDocumentIf({document_kind_, document_id_, std::move(sealed)}, std::move(expected),
                            std::move(done));
  });
}

std::string DocumentKeyRingStorage::Revision() const {
  auto sealed = metadata_.GetDocument(document_kind_, document_id_);
  if (!sealed || !*sealed) return "";
  return std::move(**sealed);
}

}  // namespace kura::node
