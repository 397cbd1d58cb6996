// Read-your-writes across nodes (issue #20): a configuration write (IAM, bucket policies and
// other bucket configuration, KMS keys, account statuses) answers only once every live node
// sharing the store follows it. After the write committed, Await reads the store's configuration
// generation G (at least the write's own) and waits, off the I/O threads, until the node registry
// (NodeRegistry::NodesBehind, store/node_registry.h) names no node that is live and has not
// confirmed G. This node is in the registry too and polls at once (`poll_here`), so its own
// caches hold the write before the answer.
//
// Why a node no longer waited for cannot serve the old state — the clocks:
// a node N confirms G' by a heartbeat written AFTER its poll started (at steady time s on N),
// stamped h by the STORE's clock, so h is no earlier than the real time of s. N counts itself
// fresh until s + stale_after on its steady clock (ConfigFollower::Stale); a steady clock does
// not jump, so N fences itself (503) by real time h + stale_after at the latest. The writer asks
// the store, on the store's clock t, for nodes with h > t − liveness; a node it leaves out has
// h ≤ t − liveness, so it fenced by t − liveness + stale_after = t − margin, before the write
// answers (liveness = stale_after + margin: LivenessBound). One clock judges every heartbeat, so
// the nodes' wall clocks may differ; only the steady clocks' rates are assumed close to real time.
// A node killed without leaving keeps its row: writes wait for it until its heartbeat ages out
// (at most `liveness`); a node that stops cleanly leaves the registry and is not waited for.
// The wait is bounded (max_wait): the write has committed either way and answers success after
// it; a node still behind then is logged.
// Thread-safety: Await may run in any number of coroutines at once.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <functional>

#include "store/metadata_store.h"
#include "store/node_registry.h"

namespace kura::node {

struct AcknowledgementOptions {
  std::chrono::milliseconds liveness{3000};   // NodesBehind's bound: LivenessBound(follower)
  std::chrono::milliseconds max_wait{3500};   // the wait ends after this, nodes behind or not
  std::chrono::milliseconds check_every{25};  // between two reads of the registry
};

class WriteAcknowledgement {
 public:
  // `metadata`, `registry` and `pool` (where their blocking reads run) must outlive this.
  // `poll_here` (may be empty; run on `pool`) makes this node follow at once — its follower's
  // Poll — so that the writing node itself is not what the write waits for.
  WriteAcknowledgement(store::MetadataStore& metadata, store::NodeRegistry& registry,
                       boost::asio::thread_pool& pool,
                       AcknowledgementOptions options, std::function<void()> poll_here = {});
  WriteAcknowledgement(const WriteAcknowledgement&) = delete;
  WriteAcknowledgement& operator=(const WriteAcknowledgement&) = delete;

  // Returns on the caller's executor once every live node confirmed the store's current
  // configuration generation, or after max_wait (then false; a store error is retried until
  // then). Call it after a configuration write committed, before answering it.
  boost::asio::awaitable<bool> Await();

  const AcknowledgementOptions& options() const { return options_; }

 private:
  store::MetadataStore& metadata_;
  store::NodeRegistry& registry_;
  boost::asio::thread_pool& pool_;
  const AcknowledgementOptions options_;
  const std::function<void()> poll_here_;
};

// The options for nodes polling every `interval` and waited for while their heartbeat is younger
// than `liveness` (LivenessBound): max_wait = liveness + interval, checks every interval / 4.
AcknowledgementOptions AcknowledgementFor(std::chrono::milliseconds interval,
                                          std::chrono::milliseconds liveness);

}  // namespace kura::node
