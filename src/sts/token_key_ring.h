// The keys that seal and open session tokens. One active key seals new tokens; keys it
// replaced stay in the ring, for opening only, until every token they sealed has expired
// (retired_at + kTokenKeyRetention), then Prune drops them. Every node holding the ring's file
// validates every other node's tokens.
//
// The ring lives in one file in the data dir (sts/token_key_file.h; mode 0600, replaced
// atomically) that is loaded at start and created on first start. Readers take an immutable
// snapshot (Snapshot(), one atomic shared_ptr load per request); Rotate/Prune/Reload build a
// new KeySet, persist it, then publish it.
// Thread-safety: all members may be called concurrently; writers are serialized.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/limits.h"
#include "common/random.h"
#include "common/secret.h"

namespace kura::sts {

inline constexpr size_t kTokenKeyBytes = 32;  // AES-256
// The longest a session can live (GetSessionToken's 36 h): a retired key is kept this long.
inline constexpr std::chrono::seconds kTokenKeyRetention{limits::kMaxGetSessionTokenSeconds};

struct TokenKey {
  uint32_t id = 0;
  Secret material;  // kTokenKeyBytes raw bytes
  TimePoint created_at;
  std::optional<TimePoint> retired_at;  // when it stopped sealing; unset for the active key
};

// An immutable set of keys: keys.front() is the active key, the rest are retired, newest first.
struct KeySet {
  std::vector<TokenKey> keys;

  const TokenKey& Active() const { return keys.front(); }
  // The key with this id, or null.
  const TokenKey* Find(uint32_t id) const;
};

// A fresh key with id `id`, created at `now`.
TokenKey NewTokenKey(Random& random, uint32_t id, TimePoint now);

class TokenKeyRing {
 public:
  // Loads the ring from `path`; if the file does not exist, creates it with one fresh key.
  // Fails (kInternalError, with the reason) on an unreadable or malformed file, or one that
  // group or others may read.
  static Result<std::unique_ptr<TokenKeyRing>> OpenOrCreate(std::filesystem::path path,
                                                            Random& random, TimePoint now);
  // A ring that is never persisted (tests, benchmarks). `keys` must hold at least one key.
  static std::unique_ptr<TokenKeyRing> InMemory(KeySet keys, Random& random);

  TokenKeyRing(const TokenKeyRing&) = delete;
  TokenKeyRing& operator=(const TokenKeyRing&) = delete;

  // The current keys; never null. Cheap: call once per request.
  std::shared_ptr<const KeySet> Snapshot() const { return keys_.load(std::memory_order_acquire); }

  // Makes a fresh key (id = highest id + 1) the active key; the old active key is retired at
  // `now`. Rotate and Prune start from the file as it is now (so they build on another node's
  // rotation) and persist before publishing: on error nothing changes. Nodes sharing the file
  // should leave rotation to one of them: two rotating at once race, last rename wins.
  Result<void> Rotate(TimePoint now);
  // Drops retired keys whose tokens have all expired (retired_at + kTokenKeyRetention <= now).
  Result<void> Prune(TimePoint now);
  // Re-reads the file (another node rotated). No-op for an in-memory ring.
  Result<void> Reload();

 private:
  TokenKeyRing(std::optional<std::filesystem::path> path, KeySet keys, Random& random);
  // The file's keys (another node may have rotated), or the snapshot for an in-memory ring.
  Result<std::shared_ptr<const KeySet>> Latest() const;
  Result<void> PersistAndPublish(KeySet next);

  const std::optional<std::filesystem::path> path_;
  Random& random_;
  std::mutex write_mu_;  // serializes Rotate/Prune/Reload
  std::atomic<std::shared_ptr<const KeySet>> keys_;
};

}  // namespace kura::sts
