// The built-in KMS's keys and aliases: every key and alias document (kms/kms_key.h) of the
// metadata store, held in memory and read without touching the store; writes go to the store
// first and reach the in-memory view only once durable (in the write's callback). A key whose
// deletion date has passed reads as absent from then on, and the next Purge deletes it.
// Two writers of one key race (the last write wins): the KMS service serializes nothing beyond
// the store's own ordering, as a key's configuration changes rarely.
// Thread-safety: all members may be called concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/key_ring.h"
#include "common/random.h"
#include "common/secret.h"
#include "kms/kms_key.h"
#include "store/metadata_store.h"

namespace kura::kms {

struct KmsAlias {
  std::string name;  // "alias/…"
  std::string key_id;
};

class KeyRegistry {
 public:
  // Loads every key and alias. Borrows everything, which must outlive it.
  static Result<std::unique_ptr<KeyRegistry>> Open(store::MetadataStore& metadata,
                                                   const KeyRing& master, Random& random,
                                                   const Clock& clock, std::string region);
  KeyRegistry(const KeyRegistry&) = delete;
  KeyRegistry& operator=(const KeyRegistry&) = delete;

  // Re-reads every key and alias and swaps them in at once (the configuration follower's, for
  // the writes of other nodes). An error leaves the registry as it was.
  Result<void> Reload();
  // Nodes sharing a metadata store: before Resolve answers that a key or alias does not exist,
  // it reads the configuration generation and, when it moved since the last load, reloads (a key
  // another node made a moment ago); a miss costs one single-row store read.
  void ReloadOnMiss() { reload_on_miss_ = true; }

  const std::string& region() const { return region_; }
  const Clock& clock() const { return clock_; }
  Random& random() const { return random_; }

  // The key `ref` names in `account_id`: a key id, key ARN, alias name ("alias/…") or alias
  // ARN. kKmsNotFound (with AWS's wording) when there is none, kKmsInvalidArn for an ARN of
  // another service.
  Result<KmsKey> Resolve(std::string_view account_id, std::string_view ref) const;
  // The account's keys by key id, and its aliases by name.
  std::vector<KmsKey> Keys(std::string_view account_id) const;
  std::vector<KmsAlias> Aliases(std::string_view account_id) const;

  // A new enabled key with one fresh material version, not yet saved.
  KmsKey NewKey(std::string_view account_id, std::string description, std::string policy) const;
  // Adds a fresh material version, which then encrypts (rotation).
  void AddMaterial(KmsKey& key) const;
  // The key's material of `version`. kKmsInvalidCiphertext for a version it does not have,
  // kKmsInternal when the master key ring cannot open it.
  Result<Secret> Material(const KmsKey& key, uint32_t version) const;

  // Stores the key (replacing it); `done` runs once it is durable and visible.
  void Save(KmsKey key, store::Callback<void> done);
  // Points the alias at `key_id`, or deletes it when `key_id` is empty.
  void SaveAlias(std::string account_id, std::string alias, std::string key_id,
                 store::Callback<void> done);
  // Deletes the keys whose deletion date has passed, with their aliases. Fire and forget.
  void Purge();

 private:
  KeyRegistry(store::MetadataStore& metadata, const KeyRing& master, Random& random,
              const Clock& clock, std::string region);
  using KeyMap = std::map<std::string, KmsKey, std::less<>>;
  using AliasMap = std::map<std::string, std::string, std::less<>>;
  static Result<std::pair<KeyMap, AliasMap>> LoadAll(store::MetadataStore& metadata);
  Result<void> Refresh() const;  // Reload, also for Resolve's miss
  Result<KmsKey> ResolveLoaded(std::string_view account_id, std::string_view ref) const;
  bool Due(const KmsKey& key) const;
  std::string AliasId(std::string_view account_id, std::string_view alias) const;

  store::MetadataStore& metadata_;
  const KeyRing& master_;
  Random& random_;
  const Clock& clock_;
  const std::string region_;
  bool reload_on_miss_ = false;
  mutable std::mutex mu_;
  mutable KeyMap keys_;        // by key id; mutable: Resolve's miss may refresh them
  mutable AliasMap aliases_;   // "ACCOUNT/alias/…" → key id
  mutable uint64_t loaded_generation_ = 0;  // the store's configuration generation they were read at
};

}  // namespace kura::kms
