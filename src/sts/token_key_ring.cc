#include "sts/token_key_ring.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <utility>

#include "sts/token_key_file.h"

namespace kura::sts {

const TokenKey* KeySet::Find(uint32_t id) const {
  for (const TokenKey& key : keys) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

TokenKey NewTokenKey(Random& random, uint32_t id, TimePoint now) {
  std::array<uint8_t, kTokenKeyBytes> bytes{};
  random.Fill(bytes);
  TokenKey key;
  key.id = id;
  key.material = Secret(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  key.created_at = FromUnixSeconds(UnixSeconds(now));  // the file keeps whole seconds
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

Result<std::unique_ptr<TokenKeyRing>> TokenKeyRing::OpenOrCreate(std::filesystem::path path,
                                                                 Random& random, TimePoint now) {
  auto loaded = ReadKeyFile(path);
  if (!loaded && loaded.error().code != ErrorCode::kNoSuchEntity) return loaded.error();
  if (!loaded) {
    KeySet fresh;
    fresh.keys.push_back(NewTokenKey(random, 1, now));
    KURA_TRY(WriteKeyFile(path, fresh));
    loaded = std::move(fresh);
  }
  return std::unique_ptr<TokenKeyRing>(
      new TokenKeyRing(std::move(path), std::move(*loaded), random));
}

std::unique_ptr<TokenKeyRing> TokenKeyRing::InMemory(KeySet keys, Random& random) {
  return std::unique_ptr<TokenKeyRing>(new TokenKeyRing(std::nullopt, std::move(keys), random));
}

TokenKeyRing::TokenKeyRing(std::optional<std::filesystem::path> path, KeySet keys, Random& random)
    : path_(std::move(path)),
      random_(random),
      keys_(std::make_shared<const KeySet>(std::move(keys))) {}

Result<std::shared_ptr<const KeySet>> TokenKeyRing::Latest() const {
  if (!path_) return Snapshot();
  auto loaded = ReadKeyFile(*path_);
  if (!loaded) return loaded.error();
  return std::make_shared<const KeySet>(std::move(*loaded));
}

Result<void> TokenKeyRing::Rotate(TimePoint now) {
  std::lock_guard lock(write_mu_);
  auto latest = Latest();
  if (!latest) return latest.error();
  const auto& current = *latest;
  uint32_t highest = 0;
  for (const TokenKey& key : current->keys) highest = std::max(highest, key.id);
  if (highest == UINT32_MAX) return MakeError(ErrorCode::kInternalError, "token key ids exhausted");

  KeySet next;
  next.keys.reserve(current->keys.size() + 1);
  next.keys.push_back(NewTokenKey(random_, highest + 1, now));
  next.keys.insert(next.keys.end(), current->keys.begin(), current->keys.end());
  next.keys[1].retired_at = FromUnixSeconds(UnixSeconds(now));
  return PersistAndPublish(std::move(next));
}

Result<void> TokenKeyRing::Prune(TimePoint now) {
  std::lock_guard lock(write_mu_);
  auto latest = Latest();
  if (!latest) return latest.error();
  const auto& current = *latest;
  KeySet next;
  for (const TokenKey& key : current->keys) {
    bool expired = key.retired_at && *key.retired_at + kTokenKeyRetention <= now;
    if (!expired) next.keys.push_back(key);
  }
  if (next.keys.size() == current->keys.size()) {
    keys_.store(current, std::memory_order_release);  // publish what the file holds
    return Ok();
  }
  return PersistAndPublish(std::move(next));
}

Result<void> TokenKeyRing::Reload() {
  std::lock_guard lock(write_mu_);
  auto latest = Latest();
  if (!latest) return latest.error();
  keys_.store(*latest, std::memory_order_release);
  return Ok();
}

Result<void> TokenKeyRing::PersistAndPublish(KeySet next) {
  if (path_) KURA_TRY(WriteKeyFile(*path_, next));
  keys_.store(std::make_shared<const KeySet>(std::move(next)), std::memory_order_release);
  return Ok();
}

}  // namespace kura::sts
