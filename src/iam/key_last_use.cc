#include "iam/key_last_use.h"

#include <utility>

#include "common/async_bridge.h"

namespace kura::iam {

boost::asio::awaitable<Result<std::optional<store::KeyUse>>> LastUseOf(KeyUsageSources sources,
                                                                       std::string access_key_id) {
  std::optional<store::KeyUse> mine = sources.tracker.LastUse(access_key_id);
  if (sources.log == nullptr || sources.pool == nullptr) co_return mine;
  store::KeyUsageLog* log = sources.log;
  auto stored = co_await RunBlocking(*sources.pool, [log, id = access_key_id] {
    return log->LastKeyUse(id);
  });
  if (!stored) co_return stored.error();
  if (!*stored || (mine && mine->used_at_ms >= (*stored)->used_at_ms)) co_return mine;
  co_return std::move(*stored);
}

}  // namespace kura::iam
