// A key ring (common/key_ring.h) kept in one document of a shared MetadataStore, so that every
// node seals and opens session tokens with the same keys (issue #20: a token minted by any node
// is valid on every node). The value is the ring's file text (docs/formats/session-token.md)
// sealed whole with the secrets key (iam/secret_sealer.h), the document's "kind/id" as
// associated data: the database alone never yields a key. Replace is a compare-and-set on the
// sealed value (a fresh nonce per sealing, so every write changes it), so nodes creating or
// rotating the ring at once all end with one ring and no rotation is lost. Revision is the
// sealed value: a poll reads one small document.
// Thread-safety: as KeyRingStorage. Load and Replace block on the store: not on an io_context
// thread (the watcher's Revision is a read).
#pragma once

#include <string>
#include <string_view>

#include "common/key_ring.h"
#include "iam/secret_sealer.h"
#include "store/metadata_store.h"

namespace kura::node {

// The document value of a ring: its file text sealed with "document_kind/document_id" as
// associated data (what Replace stores; `kura migrate` stores a data dir's ring so).
std::string SealKeyRingDocument(const iam::SecretSealer& sealer, const KeyRingKind& kind,
                                std::string_view document_kind, std::string_view document_id,
                                const KeySet& keys);

class DocumentKeyRingStorage final : public KeyRingStorage {
 public:
  // Borrows all; `kind` names the ring in errors and gives its file header.
  DocumentKeyRingStorage(store::MetadataStore& metadata, const iam::SecretSealer& sealer,
                         const KeyRingKind& kind, std::string document_kind,
                         std::string document_id);

  Result<StoredKeySet> Load() override;
  Result<bool> Replace(const StoredKeySet* base, const KeySet& next) override;
  std::string Revision() const override;

 private:
  // "kind/id": the associated data of the sealed ring.
  std::string Label() const { return document_kind_ + "/" + document_id_; }

  store::MetadataStore& metadata_;
  const iam::SecretSealer& sealer_;
  const KeyRingKind& kind_;
  const std::string document_kind_;
  const std::string document_id_;
};

}  // namespace kura::node
