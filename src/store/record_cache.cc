#include "store/record_cache.h"

namespace kura::store {

void RecordCache::KeyOf(std::string_view bucket, std::string_view key, bool with_body,
                        std::string& id) {
  // A bucket name holds no '/', so "b/" + key never collides across buckets.
  id.clear();
  id.reserve(bucket.size() + key.size() + 2);
  id.push_back(with_body ? 'B' : 'M');
  id.append(bucket).push_back('/');
  id.append(key);
}

size_t RecordCache::CostOf(const ObjectRecord& record) {
  // The strings' bytes plus a rough fixed overhead for the record and its map node.
  size_t cost = 512 + record.key.size() + record.blob.inline_data.size() + record.etag.size();
  for (const auto& [name, value] : record.headers) cost += name.size() + value.size() + 64;
  for (const auto& [name, value] : record.user_metadata) cost += name.size() + value.size() + 64;
  for (const auto& [name, value] : record.tags) cost += name.size() + value.size() + 64;
  return cost + record.acl.size() + record.encryption.size();
}

std::optional<ObjectRecord> RecordCache::Find(std::string_view bucket, std::string_view key,
                                              bool with_body) {
  if (capacity_bytes_ == 0) return std::nullopt;
  // A lookup key per thread, reused: every GET looks up, and most keys are too long for the
  // string's inline buffer, so a fresh string would cost an allocation per request.
  thread_local std::string id;
  KeyOf(bucket, key, with_body, id);
  std::lock_guard lock(mu_);
  if (entries_generation_ != Generation()) return std::nullopt;
  auto found = entries_.find(id);
  if (found == entries_.end()) return std::nullopt;
  return found->second;
}

void RecordCache::Insert(std::string_view bucket, std::string_view key, bool with_body,
                         uint64_t read_generation, const ObjectRecord& record) {
  if (capacity_bytes_ == 0 || record.blob.inline_data.size() > kMaxBodyBytes) return;
  size_t cost = CostOf(record);
  std::string id;
  KeyOf(bucket, key, with_body, id);
  std::lock_guard lock(mu_);
  if (read_generation != Generation()) return;  // a write committed since the read
  if (entries_generation_ != read_generation || bytes_ + cost > capacity_bytes_) {
    entries_.clear();
    bytes_ = 0;
    entries_generation_ = read_generation;
  }
  auto [it, inserted] = entries_.try_emplace(std::move(id), record);
  if (inserted) bytes_ += cost;
}

}  // namespace kura::store
