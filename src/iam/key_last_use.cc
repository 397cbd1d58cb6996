#include "iam/key_last_use.h"

#include <utility>

#include "common/async_bridge.h"

namespace kura::iam {

// Only trivially destructible parameters and captures: GCC 12 destroys a temporary with a
// destructor in a co_await expression twice when the coroutine suspends (a by-value std::string
// parameter or a lambda capturing one corrupted the heap). The referenced objects outlive the
// call: the caller's frame holds them.
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
