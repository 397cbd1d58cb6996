// How a node follows the configuration changes other nodes make in the shared metadata store
// (issue #20). Each node holds its configuration in memory (IAM state, bucket policies, lifecycle
// rules, KMS keys, Organizations' account statuses); the store's configuration generation
// (MetadataStore::ConfigGeneration) grows with every write of it. The follower polls the
// generation every `interval` on a thread of its own (never on an I/O thread, nor on the pool that
// requests share: requests stuck there on a failing engine would delay the polls and turn the
// node stale although PostgreSQL answers) and, when it moved,
// reloads every cache; each reload swaps its new state in at once.
// Bound: a change committed on one node is in effect on every node within one interval plus one
// reload. A node that cannot confirm the generation (PostgreSQL unreachable, a reload failing)
// for longer than `stale_after` intervals is stale: Stale() turns true and the request pipeline
// refuses what it would authorize with that state (503) until a poll succeeds again.
// Thread-safety: Poll runs one at a time (the timer re-arms after it ends); Stale may be called
// from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/metadata_store.h"

namespace kura::node {

// One in-memory copy of configuration and how to load it again from the store.
struct FollowedCache {
  std::string name;  // for the log: "iam", "bucket policies", …
  std::function<Result<void>()> reload;
};

struct FollowerOptions {
  std::chrono::milliseconds interval{1000};
  int stale_after = 5;  // intervals without a confirmed generation before the node is stale
};

class ConfigFollower {
 public:
  // `loaded_at`: the generation read before the caches were loaded at start. `metadata` and
  // `clock` must outlive the follower.
  ConfigFollower(store::MetadataStore& metadata, std::vector<FollowedCache> caches,
                 const Clock& clock, FollowerOptions options, uint64_t loaded_at);
  ConfigFollower(const ConfigFollower&) = delete;
  ConfigFollower& operator=(const ConfigFollower&) = delete;

  // One poll (blocking reads): reads the generation and, when it moved since the last successful
  // poll, reloads every cache. Confirms the generation (and so keeps the node fresh) only when
  // the read and every reload succeeded; a failed reload is tried again at the next poll.
  Result<void> Poll();
  // True when no poll has succeeded for longer than stale_after × interval.
  bool Stale() const;
  // The generation last confirmed.
  uint64_t generation() const { return generation_.load(); }

  // Polls every interval: a timer on `io` posts Poll to `pool`, and re-arms once it ended. Stop
  // (after `io` stopped running, before it is destroyed) drops the timer.
  void Start(boost::asio::io_context& io, boost::asio::thread_pool& pool);
  void Stop();

 private:
  void ArmTimer();
  Result<void> ReloadAll();

  store::MetadataStore& metadata_;
  const std::vector<FollowedCache> caches_;
  const Clock& clock_;
  const FollowerOptions options_;
  std::atomic<uint64_t> generation_;
  std::atomic<int64_t> confirmed_ns_;  // Clock time of the last successful poll
  bool failing_ = false;               // the last poll failed (logs once per outage)
  boost::asio::io_context* io_ = nullptr;
  boost::asio::thread_pool* pool_ = nullptr;
  std::optional<boost::asio::steady_timer> timer_;  // touched on io_ only, and by Start/Stop
};

}  // namespace kura::node
