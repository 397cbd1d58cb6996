// The latest version of recently read objects, in memory, so that a GET or HEAD of a hot key
// costs a hash lookup instead of a database read (a SQLite point read was 18 % of a 4 KiB GET's
// instructions: the read transaction, its two fcntl locks, the row decode).
//
// Validity is all-or-nothing by write generation: the store bumps its generation after every
// write batch and before any of that batch's writers hears back, and an entry answers only while
// the generation it was read under is still the current one. A read that raced a commit is
// therefore either tagged with the older generation (and never answers after the bump) or saw the
// commit; a write is never acknowledged while an older record can still be served. Any write
// empties the cache, so a write-heavy load just misses; no per-key invalidation can be forgotten.
// Bounded by bytes (records with their inline bodies); when full it starts over.
// Thread-safety: thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/records.h"

namespace kura::store {

class RecordCache {
 public:
  static constexpr size_t kDefaultCapacityBytes = size_t{64} << 20;
  // Records whose inline body is larger are not kept (a large body would evict many keys).
  static constexpr size_t kMaxBodyBytes = size_t{64} << 10;

  // `generation` is the store's write generation; it must outlive the cache. Capacity 0
  // disables the cache.
  RecordCache(const std::atomic<uint64_t>& generation, size_t capacity_bytes)
      : generation_(generation), capacity_bytes_(capacity_bytes) {}
  RecordCache(const RecordCache&) = delete;
  RecordCache& operator=(const RecordCache&) = delete;

  // The generation to pass to Insert: read it before the database read whose result is kept.
  uint64_t Generation() const { return generation_.load(std::memory_order_acquire); }

  // The latest version of bucket/key as last read (with or without its inline body), if that
  // read is still current.
  std::optional<ObjectRecord> Find(std::string_view bucket, std::string_view key,
                                   bool with_body);
  // Keeps `record`, read at `read_generation`, unless a write has committed since.
  void Insert(std::string_view bucket, std::string_view key, bool with_body,
              uint64_t read_generation, const ObjectRecord& record);

 private:
  // The map key of bucket/key, written into `id`.
  static void KeyOf(std::string_view bucket, std::string_view key, bool with_body, std::string& id);
  static size_t CostOf(const ObjectRecord& record);

  const std::atomic<uint64_t>& generation_;
  const size_t capacity_bytes_;
  std::mutex mu_;
  uint64_t entries_generation_ = 0;                       // guarded by mu_
  size_t bytes_ = 0;                                      // guarded by mu_
  std::unordered_map<std::string, ObjectRecord> entries_;  // guarded by mu_
};

}  // namespace kura::store
