// A ring of 256-bit secret keys kept in one file: one active key seals new data; keys it
// replaced stay in the ring, for opening only, until the kind's retention has passed since
// they retired (then Prune drops them), or for ever when the kind has no retention (master keys:
// what they sealed lives as long as the objects). Used for the STS session-token keys
// (sts/token_key_ring.h) and the SSE master keys (kms/master_key_ring.h).
//
// The ring persists through a KeyRingStorage, loaded at start and created on first start: one
// file (common/key_ring_file.h; mode 0600, replaced atomically) on a single node, or a document
// of a metadata store that several nodes share (node/document_key_ring.h; issue #20). Readers
// take an immutable snapshot (Snapshot(), one atomic shared_ptr load per request);
// Rotate/Prune/Reload build a new KeySet, persist it, then publish it. A storage that can
// compare-and-set makes concurrent rotations by several nodes all count (each rebuilds on the
// other's keys and retries).
// Thread-safety: all members may be called concurrently; writers are serialized.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
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

// An immutable set of keys, newest first: keys.front() is the active key, the rest are retired.
// A key dated in the future (a rotation with a lead time, Rotate) is already there to open with,
// but seals only from its created_at: until then its predecessor does (SealingKeyAt).
struct KeySet {
  std::vector<RingKey> keys;

  const RingKey& Active() const { return keys.front(); }
  // The key that seals at `now`: the newest one created by then (the oldest if the clock is
  // behind every key's date, so something always seals).
  const RingKey& SealingKeyAt(TimePoint now) const;
  // The key with this id, or null.
  const RingKey* Find(uint32_t id) const;
};

// A fresh key with id `id`, created at `now`.
RingKey NewRingKey(Random& random, uint32_t id, TimePoint now);

// Keys as a storage holds them, with the revision they were read at.
struct StoredKeySet {
  KeySet keys;
  std::string revision;  // opaque; changes whenever the stored keys change ("" for a file)
};

// Where a ring persists its keys. KeyRing calls it under its write mutex, one call at a time;
// Revision may also be called concurrently (the watcher polls it).
class KeyRingStorage {
 public:
  virtual ~KeyRingStorage() = default;
  // The stored keys; kNoSuchEntity when none are stored yet; kInternalError with the reason.
  virtual Result<StoredKeySet> Load() = 0;
  // Stores `next` in place of `base` (null: in place of nothing). false, storing nothing, when
  // the stored keys are no longer `base` (another node wrote first: load again). A storage
  // without compare-and-set (a file: the last rename wins) always stores.
  virtual Result<bool> Replace(const StoredKeySet* base, const KeySet& next) = 0;
  // A cheap fingerprint of what is stored now, to notice another writer's change ("" when
  // nothing is stored or it cannot be read).
  virtual std::string Revision() const = 0;
};

class KeyRing {
 public:
  // Loads the ring from `path`; if the file does not exist, creates it with one fresh key.
  // Fails (kInternalError, with the reason) on an unreadable or malformed file, or one that
  // group or others may read. `kind` must outlive the ring.
  static Result<std::unique_ptr<KeyRing>> OpenOrCreate(std::filesystem::path path,
                                                       const KeyRingKind& kind, Random& random,
                                                       TimePoint now);
  // The same over any storage. When several nodes create the ring at once, the first store wins
  // and the others adopt its keys (given a storage with compare-and-set).
  static Result<std::unique_ptr<KeyRing>> OpenOrCreate(std::unique_ptr<KeyRingStorage> storage,
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
  // `now` + `lead_time`, and the new one seals from then. A lead time lets every node sharing the
  // storage load the new key before any of them seals with it (sts/key_ring_watcher.h). Rotate and Prune start from the storage as it is now (so they build on another
  // node's rotation) and persist before publishing: on error nothing changes. Over a file, nodes
  // sharing it should leave rotation to one of them (two rotating at once race, the last rename
  // wins); over a compare-and-set storage both rotations take effect, one after the other.
  Result<void> Rotate(TimePoint now, std::chrono::seconds lead_time = {});
  // Drops retired keys whose sealed data has all expired (retired_at + retention <= now); keeps
  // every key of a kind without retention.
  Result<void> Prune(TimePoint now);
  // Re-reads the storage (another node rotated). No-op for an in-memory ring.
  Result<void> Reload();
  // The storage's fingerprint (KeyRingStorage::Revision); "" for an in-memory ring.
  std::string StoredRevision() const;

 private:
  KeyRing(std::unique_ptr<KeyRingStorage> storage, const KeyRingKind& kind, KeySet keys,
          Random& random);
  // The stored keys (another node may have rotated), or the snapshot for an in-memory ring.
  Result<StoredKeySet> Latest() const;
  // Persists what `change` makes of the latest keys (nullopt: no change) and publishes it,
  // loading again and retrying while another writer comes first.
  Result<void> Update(const std::function<std::optional<KeySet>(const KeySet&)>& change);

  const std::unique_ptr<KeyRingStorage> storage_;  // null: in memory
  const KeyRingKind& kind_;
  Random& random_;
  std::mutex write_mu_;  // serializes Rotate/Prune/Reload
  std::atomic<std::shared_ptr<const KeySet>> keys_;
};

}  // namespace kura
