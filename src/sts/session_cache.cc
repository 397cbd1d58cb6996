#include "sts/session_cache.h"

namespace kura::sts {

SessionCache::SessionCache(size_t capacity)
    : shard_capacity_(capacity / kShards > 0 ? capacity / kShards : 1) {}

SessionCache::Shard& SessionCache::ShardFor(std::string_view key) {
  size_t i = key.empty() ? 0 : static_cast<unsigned char>(key[0]) % kShards;
  return shards_[i];
}

std::shared_ptr<const CachedSession> SessionCache::Get(std::string_view key) {
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  auto it = shard.index.find(key);
  if (it == shard.index.end()) return nullptr;
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  return it->second->second;
}

void SessionCache::Put(std::string key, std::shared_ptr<const CachedSession> session) {
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  if (auto it = shard.index.find(key); it != shard.index.end()) {
    it->second->second = std::move(session);
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
    return;
  }
  if (shard.lru.size() >= shard_capacity_) {
    shard.index.erase(shard.lru.back().first);
    shard.lru.pop_back();
  }
  shard.lru.emplace_front(std::move(key), std::move(session));
  shard.index.emplace(shard.lru.front().first, shard.lru.begin());
}

size_t SessionCache::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.lru.size();
  }
  return n;
}

}  // namespace kura::sts
