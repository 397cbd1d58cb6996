// How a node follows the configuration changes other nodes make in the shared metadata store
// (issue #20). Each node holds its configuration in memory (IAM state, bucket policies, lifecycle
// rules, KMS keys, Organizations' account statuses); the store's configuration generation
// (MetadataStore::ConfigGeneration) grows with every write of it. The follower polls the
// generation every `interval` on a thread of its own (never on an I/O thread, nor on the pool that
// requests share: requests stuck there on a failing engine would delay the polls and turn the
// node stale although PostgreSQL answers) and, when it moved, reloads every cache; each reload
// swaps its new state in at once. Then it confirms the generation in the store's node registry
// (store/node_registry.h), which writers wait on (node/write_acknowledgement.h): a configuration
// write answers only once every live node confirmed it.
// A poll succeeds only when the generation read, every reload and the confirmation succeeded.
// A node that has had no successful poll for longer than `stale_after`, measured on the steady
// clock from the START of the last successful poll, is stale: Stale() turns true and the request
// pipeline refuses what it would authorize with that state (503) until a poll succeeds again.
// Thread-safety: Poll may be called from any thread (the timer's polls and those of this node's
// configuration writes, write_acknowledgement.h, run one at a time); so may Stale.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "store/metadata_store.h"
#include "store/node_registry.h"

namespace kura::node {

// One in-memory copy of configuration and how to load it again from the store.
struct FollowedCache {
  std::string name;  // for the log: "iam", "bucket policies", …
  std::function<Result<void>()> reload;
};

struct FollowerOptions {
  std::chrono::milliseconds interval{100};
  // Without a successful poll for this long the node is stale (StaleBoundFor(interval)).
  std::chrono::milliseconds stale_after{2000};
  // This node's id in the store's node registry.
  std::string node_id;
};

// The stale bound for a poll interval: 2 s, or 5 intervals when that is longer.
std::chrono::milliseconds StaleBoundFor(std::chrono::milliseconds interval);
// How long since its last heartbeat a node is still waited for by writers (NodesBehind's
// liveness): its stale bound plus a margin (one interval, at least 500 ms), so that a node no
// longer waited for has fenced itself (write_acknowledgement.h reasons through the clocks).
std::chrono::milliseconds LivenessBound(const FollowerOptions& options);

// Now on a monotonic clock (std::chrono::steady_clock::now; a fake in tests).
using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;

class ConfigFollower {
 public:
  // `loaded_at`: the generation read before the caches were loaded at start (after the node
  // registered with generation 0, so that no write committed meanwhile skips it). `registry`
  // (null: the node does not register) is where polls confirm as options.node_id. `metadata` and
  // `registry` must outlive the follower.
  ConfigFollower(store::MetadataStore& metadata, store::NodeRegistry* registry,
                 std::vector<FollowedCache> caches,
                 FollowerOptions options, uint64_t loaded_at,
                 SteadyNow now = [] { return std::chrono::steady_clock::now(); });
  ConfigFollower(const ConfigFollower&) = delete;
  ConfigFollower& operator=(const ConfigFollower&) = delete;

  // One poll (blocking): reads the generation and, when it moved since the last successful
  // poll, reloads every cache, then confirms the generation in the node registry. The node stays
  // fresh only when all of that succeeded; a failed reload is tried again at the next poll.
  Result<void> Poll();
  // True when no poll that started less than stale_after ago has succeeded (and so before the
  // first successful poll: serve polls once before it serves).
  bool Stale() const;
  const FollowerOptions& options() const { return options_; }
  // The generation last confirmed.
  uint64_t generation() const { return generation_.load(); }

  // Polls every interval: a timer on `io` posts Poll to `pool`, and re-arms once it ended. Stop
  // (after `io` stopped running, before it is destroyed) drops the timer and removes the node from
  // the registry (a poll still running finishes first; none confirms after it), so that writers
  // stop waiting for it at once.
  void Start(boost::asio::io_context& io, boost::asio::thread_pool& pool);
  void Stop();

 private:
  void ArmTimer();
  Result<void> ReloadAll();

  store::MetadataStore& metadata_;
  store::NodeRegistry* const registry_;
  const std::vector<FollowedCache> caches_;
  const FollowerOptions options_;
  const SteadyNow now_;
  std::mutex poll_mutex_;  // one Poll at a time; Stop's leave waits for the one running
  bool left_ = false;      // guarded by poll_mutex_: the node left the registry
  std::atomic<uint64_t> generation_;
  std::atomic<int64_t> confirmed_ns_;  // steady time at which the last successful poll started
  std::atomic<bool> confirmed_once_{false};  // stale until the first successful poll
  bool failing_ = false;               // the last poll failed (logs once per outage)
  boost::asio::io_context* io_ = nullptr;
  boost::asio::thread_pool* pool_ = nullptr;
  std::optional<boost::asio::steady_timer> timer_;  // touched on io_ only, and by Start/Stop
};

}  // namespace kura::node
