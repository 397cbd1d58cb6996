#include "iam/key_last_use.h"

#include <utility>

#include "common/async_bridge.h"

namespace kura::iam {

// Only trivially destructible parameters and captures, as the other RunBlocking callers: with a
// by-value std::string parameter and a lambda capturing a string, GCC 12's code for this
// coroutine corrupted the heap once it suspended (seen in e2e: requests failing, then SIGSEGV;
// GCC's coroutine bugs with temporaries of co_await expressions). The referenced objects
// outlive the call: the caller's frame holds them.
boost::asio::awaitable<Result<std::optional<store::KeyUse>>> LastUseOf(
    const KeyUsageSources& sources, std::string_view access_key_id) {
  std::optional<store::KeyUse> mine = sources.tracker.LastUse(access_key_id);
  if (sources.log == nullptr || sources.pool == nullptr) co_return mine;
  store::KeyUsageLog* log = sources.log;
  auto stored = co_await RunBlocking(*sources.pool, [log, access_key_id] {
    return log->LastKeyUse(access_key_id);
  });
  if (!stored) co_return stored.error();
  if (!*stored || (mine && mine->used_at_ms >= (*stored)->used_at_ms)) co_return mine;
  co_return std::move(*stored);
}

}  // namespace kura::iam
