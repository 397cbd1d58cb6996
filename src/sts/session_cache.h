// A bounded, thread-safe LRU of validated sessions keyed by the tail of their token (its AES-GCM
// tag, see session_resolver.cc), each holding the whole token it was opened from: a request with
// session credentials costs a lookup and a comparison instead of an AEAD open and a policy
// compilation. Entries hold only what the token already says (nothing is trusted that
// the token did not prove); expiry and role checks still run on every request.
// Sharded (16 ways, by the key's first byte) so concurrent requests rarely share a lock.
// Thread-safety: all members may be called concurrently.
#pragma once

#include <array>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/principal.h"
#include "common/secret.h"
#include "policy/compiled_policy.h"
#include "sigv4/credential_resolver.h"

namespace kura::sts {

struct CachedSession {
  std::string token;  // the sealed token this entry was opened from; a hit must equal it
  std::string access_key_id;
  Secret secret_key;
  TimePoint expires_at;
  std::string role_arn;  // empty for GetSessionToken sessions
  std::string role_id;
  std::shared_ptr<const Principal> principal;
  std::shared_ptr<const policy::CompiledPolicy> session_policy;  // inline; null = none
  // The session registry's "last used" of this session (sts/session_registry.h); null when the
  // registry is off or does not hold the session.
  std::shared_ptr<const sigv4::CredentialUse> use;
};

class SessionCache {
 public:
  explicit SessionCache(size_t capacity);
  SessionCache(const SessionCache&) = delete;
  SessionCache& operator=(const SessionCache&) = delete;

  // The entry for `key`, marked most recently used; null if absent.
  std::shared_ptr<const CachedSession> Get(std::string_view key);
  // Inserts or replaces; evicts the shard's least recently used entry when full.
  void Put(std::string key, std::shared_ptr<const CachedSession> session);
  size_t size() const;

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    using Entry = std::pair<std::string, std::shared_ptr<const CachedSession>>;
    mutable std::mutex mu;
    std::list<Entry> lru;  // front = most recent
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views into lru
  };
  Shard& ShardFor(std::string_view key);

  size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace kura::sts
