// GetAccessKeyLastUsed's source: a key's last use is the later of this node's record
// (KeyUsageTracker: uses it verified, some not yet flushed) and the store's (store::KeyUsageLog:
// what every node flushed, every few seconds). So the answer does not depend on which node of a
// cluster is asked, beyond the flush interval; nor does a restart forget.
// Thread-safety: LastUseOf may be called concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <optional>
#include <string_view>

#include "common/error.h"
#include "iam/key_usage_tracker.h"
#include "store/key_usage_log.h"

namespace kura::iam {

struct KeyUsageSources {
  // A tracker alone (tests, tools): this node's uses only.
  KeyUsageSources(const KeyUsageTracker& t, store::KeyUsageLog* l = nullptr,  // NOLINT: implicit
                  boost::asio::thread_pool* p = nullptr)
      : tracker(t), log(l), pool(p) {}

  const KeyUsageTracker& tracker;
  store::KeyUsageLog* log;          // null: none
  boost::asio::thread_pool* pool;   // where `log` is read (it blocks); required with a log
};

// The key's latest use; nullopt when never used. Errors: the store could not be read.
// Both must outlive the call.
boost::asio::awaitable<Result<std::optional<store::KeyUse>>> LastUseOf(
    const KeyUsageSources& sources, std::string_view access_key_id);

}  // namespace kura::iam
