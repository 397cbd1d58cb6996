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

const RingKey& KeySet::SealingKeyAt(TimePoint now) const {
  for (const RingKey& key : keys) {
    if (key.created_at <= now) return key;
  }
  return keys.back();
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

namespace {

// How often Update loads again after losing a compare-and-set: each loss means another node
// wrote in between, so running out takes a storm of rotations.
constexpr int kMaxUpdateAttempts = 16;

}  // namespace

Result<std::unique_ptr<KeyRing>> KeyRing::OpenOrCreate(std::filesystem::path path,
                                                       const KeyRingKind& kind, Random& random,
                                                       TimePoint now) {
  return OpenOrCreate(std::make_unique<KeyRingFileStorage>(kind, std::move(path)), kind, random,
                      now);
}

Result<std::unique_ptr<KeyRing>> KeyRing::OpenOrCreate(std::unique_ptr<KeyRingStorage> storage,
                                                       const KeyRingKind& kind, Random& random,
                                                       TimePoint now) {
  auto loaded = storage->Load();
  if (!loaded && loaded.error().code != ErrorCode::kNoSuchEntity) return loaded.error();
  if (!loaded) {
    KeySet fresh;
    fresh.keys.push_back(NewRingKey(random, 1, now));
    auto stored = storage->Replace(nullptr, fresh);
    if (!stored) return stored.error();
    // Lost the race to create it: adopt the keys of the node that won.
    loaded = *stored ? Result<StoredKeySet>(StoredKeySet{std::move(fresh), ""}) : storage->Load();
    if (!loaded) return loaded.error();
  }
  return std::unique_ptr<KeyRing>(
      new KeyRing(std::move(storage), kind, std::move(loaded->keys), random));
}

std::unique_ptr<KeyRing> KeyRing::InMemory(const KeyRingKind& kind, KeySet keys, Random& random) {
  return std::unique_ptr<KeyRing>(new KeyRing(nullptr, kind, std::move(keys), random));
}

KeyRing::KeyRing(std::unique_ptr<KeyRingStorage> storage, const KeyRingKind& kind, KeySet keys,
                 Random& random)
    : storage_(std::move(storage)),
      kind_(kind),
      random_(random),
      keys_(std::make_shared<const KeySet>(std::move(keys))) {}

Result<StoredKeySet> KeyRing::Latest() const {
  if (!storage_) return StoredKeySet{*Snapshot(), ""};
  return storage_->Load();
}

Result<void> KeyRing::Update(const std::function<std::optional<KeySet>(const KeySet&)>& change) {
  for (int attempt = 0; attempt < kMaxUpdateAttempts; ++attempt) {
    auto latest = Latest();
    if (!latest) return latest.error();
    std::optional<KeySet> next = change(latest->keys);
    if (!next) {
      keys_.store(std::make_shared<const KeySet>(std::move(latest->keys)),
                  std::memory_order_release);  // publish what the storage holds
      return Ok();
    }
    if (storage_) {
      auto stored = storage_->Replace(&*latest, *next);
      if (!stored) return stored.error();
      if (!*stored) continue;  // another node wrote first: build on its keys
    }
    keys_.store(std::make_shared<const KeySet>(std::move(*next)), std::memory_order_release);
    return Ok();
  }
  return MakeError(ErrorCode::kInternalError,
                   std::string(kind_.name) + " kept changing under this write; try again");
}

Result<void> KeyRing::Rotate(TimePoint now, std::chrono::seconds lead_time) {
  const TimePoint takes_over = now + lead_time;
  std::lock_guard lock(write_mu_);
  std::optional<Error> failure;
  KURA_TRY(Update([&](const KeySet& current) -> std::optional<KeySet> {
    uint32_t highest = 0;
    for (const RingKey& key : current.keys) highest = std::max(highest, key.id);
    if (highest == UINT32_MAX) {
      failure =
          MakeError(ErrorCode::kInternalError, std::string(kind_.name) + ": key ids exhausted");
      return std::nullopt;
    }
    KeySet next;
    next.keys.reserve(current.keys.size() + 1);
    next.keys.push_back(NewRingKey(random_, highest + 1, takes_over));
    next.keys.insert(next.keys.end(), current.keys.begin(), current.keys.end());
    next.keys[1].retired_at = FromUnixSeconds(UnixSeconds(takes_over));
    return next;
  }));
  if (failure) return *failure;
  return Ok();
}

Result<void> KeyRing::Prune(TimePoint now) {
  std::lock_guard lock(write_mu_);
  return Update([&](const KeySet& current) -> std::optional<KeySet> {
    KeySet next;
    for (const RingKey& key : current.keys) {
      bool expired =
          kind_.retention && key.retired_at && *key.retired_at + *kind_.retention <= now;
      if (!expired) next.keys.push_back(key);
    }
    if (next.keys.size() == current.keys.size()) return std::nullopt;
    return next;
  });
}

Result<void> KeyRing::Reload() {
  std::lock_guard lock(write_mu_);
  auto latest = Latest();
  if (!latest) return latest.error();
  keys_.store(std::make_shared<const KeySet>(std::move(latest->keys)), std::memory_order_release);
  return Ok();
}

std::string KeyRing::StoredRevision() const { return storage_ ? storage_->Revision() : ""; }

}  // namespace kura
