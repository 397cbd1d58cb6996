// A ring of 256-bit secret keys kept in one file: one active key seals new data; keys it
// replaced stay in the ring, for opening only, until the kind's retention has passed since
// they retired (then Prune drops them), or for ever when the kind has no retention (master keys:
// what they sealed lives as long as the objects). Used for the STS session-token keys
// (sts/token_key_ring.h) and the SSE master keys (kms/master_key_ring.h).
//
// The ring lives in one file (common/key_ring_file.h; mode 0600, replaced atomically) that is
// loaded at start and created on first start. Readers take an immutable snapshot (Snapshot(),
// one atomic shared_ptr load per request); Rotate/Prune/Reload build a new KeySet, persist it,
// then publish it.
// Thread-safety: all members may be called concurrently; writers are serialized.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/random.h"
#include "common/secret.h"

namespace kura {

inline constexpr size_t kRingKeyBytes = 32;  // AES-256

// What a ring holds: the first line of its file, the file's name in error messages, and how
// long a retired key is kept (nullopt: for ever).
struct KeyRingKind {
  std::string_view header;
  std::string_view name;
  std::optional<std::chrono::seconds> retention;
};

struct RingKey {
  uint32_t id = 0;
  Secret material;  // kRingKeyBytes raw bytes
  TimePoint created_at;
  std::optional<TimePoint> retired_at;  // when it stopped sealing; unset for the active key
};

// An immutable set of keys: keys.front() is the active key, the rest are retired, newest first.
struct KeySet {
  std::vector<RingKey> keys;

  const RingKey& Active() const { return keys.front(); }
  // The key with this id, or null.
  const RingKey* Find(uint32_t id) const;
};

// A fresh key with id `id`, created at `now`.
RingKey NewRingKey(Random& random, uint32_t id, TimePoint now);

class KeyRing {
 public:
  // Loads the ring from `path`; if the file does not exist, creates it with one fresh key.
  // Fails (kInternalError, with the reason) on an unreadable or malformed file, or one that
  // group or others may read. `kind` must outlive the ring.
  static Result<std::unique_ptr<KeyRing>> OpenOrCreate(std::filesystem::path path,
                                                       const KeyRingKind& kind, Random& random,
                                                       TimePoint now);
  // A ring that is never persisted (tests, benchmarks, a key from the environment). `keys`
  // must hold at least one key.
  static std::unique_ptr<KeyRing> InMemory(const KeyRingKind& kind, KeySet keys, Random& random);

  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  // The current keys; never null. Cheap: call once per request.
  std::shared_ptr<const KeySet> Snapshot() const { return keys_.load(std::memory_order_acquire); }

  // Makes a fresh key (id = highest id + 1) the active key; the old active key is retired at
  // `now`. Rotate and Prune start from the file as it is now (so they build on another node's
  // rotation) and persist before publishing: on error nothing changes. Nodes sharing the file
  // should leave rotation to one of them: two rotating at once race, last rename wins.
  Result<void> Rotate(TimePoint now);
  // Drops retired keys whose sealed data has all expired (retired_at + retention <= now); keeps
  // every key of a kind without retention.
  Result<void> Prune(TimePoint now);
  // Re-reads the file (another node rotated). No-op for an in-memory ring.
  Result<void> Reload();

 private:
  KeyRing(std::optional<std::filesystem::path> path, const KeyRingKind& kind, KeySet keys,
          Random& random);
  // The file's keys (another node may have rotated), or the snapshot for an in-memory ring.
  Result<std::shared_ptr<const KeySet>> Latest() const;
  Result<void> PersistAndPublish(KeySet next);

  const std::optional<std::filesystem::path> path_;
  const KeyRingKind& kind_;
  Random& random_;
  std::mutex write_mu_;  // serializes Rotate/Prune/Reload
  std::atomic<std::shared_ptr<const KeySet>> keys_;
};

}  // namespace kura
