#include "common/key_ring.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <utility>

#include "common/key_ring_file.h"

namespace kura {

const RingKey* KeySet::Find(uint32_t id) const {
  for (const RingKey& key : keys) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

RingKey NewRingKey(Random& random, uint32_t id, TimePoint now) {
  std::array<uint8_t, kRingKeyBytes> bytes{};
  random.Fill(bytes);
  RingKey key;
  key.id = id;
  key.material = Secret(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  key.created_at = FromUnixSeconds(UnixSeconds(now));  // the file keeps whole seconds
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

Result<std::unique_ptr<KeyRing>> KeyRing::OpenOrCreate(std::filesystem::path path,
                                                       const KeyRingKind& kind, Random& random,
                                                       TimePoint now) {
  auto loaded = ReadKeyFile(kind, path);
  if (!loaded && loaded.error().code != ErrorCode::kNoSuchEntity) return loaded.error();
  if (!loaded) {
    KeySet fresh;
    fresh.keys.push_back(NewRingKey(random, 1, now));
    KURA_TRY(WriteKeyFile(kind, path, fresh));
    loaded = std::move(fresh);
  }
  return std::unique_ptr<KeyRing>(new KeyRing(std::move(path), kind, std::move(*loaded), random));
}

std::unique_ptr<KeyRing> KeyRing::InMemory(const KeyRingKind& kind, KeySet keys, Random& random) {
  return std::unique_ptr<KeyRing>(new KeyRing(std::nullopt, kind, std::move(keys), random));
}

KeyRing::KeyRing(std::optional<std::filesystem::path> path, const KeyRingKind& kind, KeySet keys,
                 Random& random)
    : path_(std::move(path)),
      kind_(kind),
      random_(random),
      keys_(std::make_shared<const KeySet>(std::move(keys))) {}

Result<std::shared_ptr<const KeySet>> KeyRing::Latest() const {
  if (!path_) return Snapshot();
  auto loaded = ReadKeyFile(kind_, *path_);
  if (!loaded) return loaded.error();
  return std::make_shared<const KeySet>(std::move(*loaded));
}

Result<void> KeyRing::Rotate(TimePoint now) {
  std::lock_guard lock(write_mu_);
  auto latest = Latest();
  if (!latest) return latest.error();
  const auto& current = *latest;
  uint32_t highest = 0;
  for (const RingKey& key : current->keys) highest = std::max(highest, key.id);
  if (highest == UINT32_MAX) return MakeError(ErrorCode::kInternalError, std::string(kind_.name) + ": key ids exhausted");

  KeySet next;
  next.keys.reserve(current->keys.size() + 1);
  next.keys.push_back(NewRingKey(random_, highest + 1, now));
  next.keys.insert(next.keys.end(), current->keys.begin(), current->keys.end());
  next.keys[1].retired_at = FromUnixSeconds(UnixSeconds(now));
  return PersistAndPublish(std::move(next));
}

Result<void> KeyRing::Prune(TimePoint now) {
  std::lock_guard lock(write_mu_);
  auto latest = Latest();
  if (!latest) return latest.error();
  const auto& current = *latest;
  KeySet next;
  for (const RingKey& key : current->keys) {
    bool expired = kind_.retention && key.retired_at && *key.retired_at + *kind_.retention <= now;
    if (!expired) next.keys.push_back(key);
  }
  if (next.keys.size() == current->keys.size()) {
    keys_.store(current, std::memory_order_release);  // publish what the file holds
    return Ok();
  }
  return PersistAndPublish(std::move(next));
}

Result<void> KeyRing::Reload() {
  std::lock_guard lock(write_mu_);
  auto latest = Latest();
  if (!latest) return latest.error();
  keys_.store(*latest, std::memory_order_release);
  return Ok();
}

Result<void> KeyRing::PersistAndPublish(KeySet next) {
  if (path_) KURA_TRY(WriteKeyFile(kind_, *path_, next));
  keys_.store(std::make_shared<const KeySet>(std::move(next)), std::memory_order_release);
  return Ok();
}

}  // namespace kura
