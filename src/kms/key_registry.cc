#include "kms/key_registry.h"

#include <openssl/crypto.h>

#include <array>

#include "kms/master_seal.h"

namespace kura::kms {
namespace {

Error KeyNotFound(std::string_view ref) {
  return MakeError(ErrorCode::kKmsNotFound, "Key '" + std::string(ref) + "' does not exist");
}

Error AliasNotFound(std::string_view alias) {
  return MakeError(ErrorCode::kKmsNotFound, "Alias '" + std::string(alias) + "' is not found.");
}

}  // namespace

KeyRegistry::KeyRegistry(store::MetadataStore& metadata, const KeyRing& master, Random& random,
                         const Clock& clock, std::string region)
    : metadata_(metadata),
      master_(master),
      random_(random),
      clock_(clock),
      region_(std::move(region)) {}

Result<std::pair<KeyRegistry::KeyMap, KeyRegistry::AliasMap>> KeyRegistry::LoadAll(
    store::MetadataStore& metadata) {
  std::pair<KeyMap, AliasMap> all;
  auto keys = metadata.ListDocuments(kKeyDocumentKind);
  if (!keys) return keys.error();
  for (const auto& [id, value] : *keys) {
    auto key = DecodeKmsKey(value);
    if (!key) return key.error();
    all.first.emplace(id, std::move(*key));
  }
  auto aliases = metadata.ListDocuments(kAliasDocumentKind);
  if (!aliases) return aliases.error();
  for (auto& [id, key_id] : *aliases) all.second.emplace(id, key_id);
  return all;
}

Result<std::unique_ptr<KeyRegistry>> KeyRegistry::Open(store::MetadataStore& metadata,
                                                       const KeyRing& master, Random& random,
                                                       const Clock& clock, std::string region) {
  std::unique_ptr<KeyRegistry> registry(
      new KeyRegistry(metadata, master, random, clock, std::move(region)));
  KURA_TRY(registry->Reload());
  return registry;
}

Result<void> KeyRegistry::Reload() { return Refresh(); }

Result<void> KeyRegistry::Refresh() const {
  // The generation is read first: a write landing during the load moves it past what is kept,
  // so the next miss loads again.
  auto generation = metadata_.ConfigGeneration();
  if (!generation) return generation.error();
  auto all = LoadAll(metadata_);
  if (!all) return all.error();
  std::lock_guard lock(mu_);
  keys_ = std::move(all->first);
  aliases_ = std::move(all->second);
  loaded_generation_ = *generation;
  return Ok();
}

bool KeyRegistry::Due(const KmsKey& key) const {
  return key.state == KeyState::kPendingDeletion && key.deletion_date &&
         *key.deletion_date <= clock_.Now();
}

std::string KeyRegistry::AliasId(std::string_view account_id, std::string_view alias) const {
  return std::string(account_id) + "/" + std::string(alias);
}

Result<KmsKey> KeyRegistry::Resolve(std::string_view account_id, std::string_view ref) const {
  auto key = ResolveLoaded(account_id, ref);
  if (key || key.error().code != ErrorCode::kKmsNotFound || !reload_on_miss_) return key;
  // Another node may have made it since this node's last poll: S3 makes alias/aws/s3 on first
  // use, inside an object write that no configuration request waits for. The configuration
  // generation says whether anything changed since the load; only then is everything read again
  // (a client naming keys that do not exist costs one single-row read each, not a reload).
  auto generation = metadata_.ConfigGeneration();
  if (!generation) return generation.error();
  {
    std::lock_guard lock(mu_);
    if (*generation == loaded_generation_) return key;
  }
  if (auto refreshed = Refresh(); !refreshed) return refreshed.error();
  return ResolveLoaded(account_id, ref);
}

Result<KmsKey> KeyRegistry::ResolveLoaded(std::string_view account_id,
                                          std::string_view ref) const {
  std::string_view name = ref;
  if (ref.starts_with("arn:")) {
    std::string prefix = "arn:aws:kms:" + region_ + ":" + std::string(account_id) + ":";
    if (!ref.starts_with("arn:aws:kms:")) {
      return MakeError(ErrorCode::kKmsInvalidArn, "Invalid arn " + std::string(ref));
    }
    if (!ref.starts_with(prefix)) return KeyNotFound(ref);
    name = ref.substr(prefix.size());
    if (name.starts_with("key/"))
      name.remove_prefix(4);
    else if (!name.starts_with("alias/"))
      return KeyNotFound(ref);
  }
  std::lock_guard lock(mu_);
  std::string key_id(name);
  if (name.starts_with("alias/")) {
    auto alias = aliases_.find(AliasId(account_id, name));
    if (alias == aliases_.end()) return AliasNotFound(AliasArn(region_, account_id, name));
    key_id = alias->second;
  }
  auto key = keys_.find(key_id);
  if (key == keys_.end() || key->second.account_id != account_id || Due(key->second)) {
    return KeyNotFound(KeyArn(region_, account_id, key_id));
  }
  return key->second;
}

std::vector<KmsKey> KeyRegistry::Keys(std::string_view account_id) const {
  std::lock_guard lock(mu_);
  std::vector<KmsKey> out;
  for (const auto& [id, key] : keys_) {
    if (key.account_id == account_id && !Due(key)) out.push_back(key);
  }
  return out;
}

std::vector<KmsAlias> KeyRegistry::Aliases(std::string_view account_id) const {
  std::lock_guard lock(mu_);
  std::string prefix = std::string(account_id) + "/";
  std::vector<KmsAlias> out;
  for (auto it = aliases_.lower_bound(prefix);
       it != aliases_.end() && it->first.starts_with(prefix); ++it) {
    auto key = keys_.find(it->second);
    if (key != keys_.end() && Due(key->second)) continue;
    out.push_back({it->first.substr(prefix.size()), it->second});
  }
  return out;
}

KmsKey KeyRegistry::NewKey(std::string_view account_id, std::string description,
                           std::string policy) const {
  KmsKey key;
  key.key_id = NewKeyId(random_);
  key.account_id = std::string(account_id);
  key.region = region_;
  key.description = std::move(description);
  key.policy = std::move(policy);
  key.creation_date = FromUnixSeconds(UnixSeconds(clock_.Now()));
  key.last_rotated = key.creation_date;
  AddMaterial(key);
  return key;
}

void KeyRegistry::AddMaterial(KmsKey& key) const {
  std::array<uint8_t, kRingKeyBytes> bytes{};
  random_.Fill(bytes);
  std::string_view material(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  auto version = static_cast<uint32_t>(key.sealed_materials.size());
  key.sealed_materials.push_back(SealUnderMaster(*master_.Snapshot(), random_, material,
                                                 MaterialPurpose(key.key_id, version)));
  OPENSSL_cleanse(bytes.data(), bytes.size());
}

Result<Secret> KeyRegistry::Material(const KmsKey& key, uint32_t version) const {
  if (version >= key.sealed_materials.size()) return MakeError(ErrorCode::kKmsInvalidCiphertext);
  auto material = OpenUnderMaster(*master_.Snapshot(), key.sealed_materials[version],
                                  MaterialPurpose(key.key_id, version));
  if (!material) return MakeError(ErrorCode::kKmsInternal);
  return material;
}

void KeyRegistry::Save(KmsKey key, store::Callback<void> done) {
  std::vector<store::DocumentWrite> writes;
  writes.push_back({std::string(kKeyDocumentKind), key.key_id, EncodeKmsKey(key)});
  metadata_.PutDocuments(std::move(writes), [this, key = std::move(key),
                                             done = std::move(done)](Result<void> written) mutable {
    if (written) {
      std::lock_guard lock(mu_);
      keys_.insert_or_assign(key.key_id, std::move(key));
    }
    done(std::move(written));
  });
}

void KeyRegistry::SaveAlias(std::string account_id, std::string alias, std::string key_id,
                            store::Callback<void> done) {
  std::string id = AliasId(account_id, alias);
  std::optional<std::string> value;
  if (!key_id.empty()) value = key_id;
  std::vector<store::DocumentWrite> writes;
  writes.push_back({std::string(kAliasDocumentKind), id, value});
  metadata_.PutDocuments(std::move(writes),
                         [this, id, value, done = std::move(done)](Result<void> written) mutable {
                           if (written) {
                             std::lock_guard lock(mu_);
                             if (value)
                               aliases_.insert_or_assign(id, *value);
                             else
                               aliases_.erase(id);
                           }
                           done(std::move(written));
                         });
}

void KeyRegistry::Purge() {
  std::vector<store::DocumentWrite> writes;
  std::vector<std::string> key_ids, alias_ids;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, key] : keys_) {
      if (Due(key)) key_ids.push_back(id);
    }
    for (const auto& [alias, key_id] : aliases_) {
      auto key = keys_.find(key_id);
      if (key == keys_.end() || Due(key->second)) alias_ids.push_back(alias);
    }
  }
  if (key_ids.empty() && alias_ids.empty()) return;
  for (const auto& id : key_ids)
    writes.push_back({std::string(kKeyDocumentKind), id, std::nullopt});
  for (const auto& id : alias_ids)
    writes.push_back({std::string(kAliasDocumentKind), id, std::nullopt});
  metadata_.PutDocuments(std::move(writes), [this, key_ids, alias_ids](Result<void> written) {
    if (!written) return;  // the next Purge tries again
    std::lock_guard lock(mu_);
    for (const auto& id : key_ids) keys_.erase(id);
    for (const auto& id : alias_ids) aliases_.erase(id);
  });
}

}  // namespace kura::kms
