#include "node/write_acknowledgement.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <optional>
#include <string>

#include "common/async_bridge.h"
#include "common/logging.h"

namespace kura::node {

namespace net = boost::asio;

AcknowledgementOptions AcknowledgementFor(std::chrono::milliseconds interval,
                                          std::chrono::milliseconds liveness) {
  AcknowledgementOptions options;
  options.liveness = liveness;
  options.max_wait = liveness + interval;  // a dead node's row ages out within `liveness`
  options.check_every = std::clamp(interval / 4, std::chrono::milliseconds(5),
                                   std::chrono::milliseconds(250));
  return options;
}

WriteAcknowledgement::WriteAcknowledgement(store::MetadataStore& metadata,
                                           store::NodeRegistry& registry, net::thread_pool& pool,
                                           AcknowledgementOptions options,
                                           std::function<void()> poll_here)
    : metadata_(metadata),
      registry_(registry),
      pool_(pool),
      options_(options),
      poll_here_(std::move(poll_here)) {}

net::awaitable<bool> WriteAcknowledgement::Await() {
  const auto deadline = std::chrono::steady_clock::now() + options_.max_wait;
  auto executor = co_await net::this_coro::executor;
  net::steady_timer timer(executor);
  std::optional<uint64_t> generation;
  std::string last_problem;
  if (poll_here_) {
    co_await RunBlocking(pool_, [this] {
      poll_here_();
      return 0;
    });
  }
  for (;;) {
    if (!generation) {
      auto read = co_await RunBlocking(pool_, [this] { return metadata_.ConfigGeneration(); });
      if (read) {
        generation = *read;
      } else {
        last_problem = read.error().message;
      }
    }
    if (generation) {
      auto behind = co_await RunBlocking(
          pool_, [this, g = *generation] { return registry_.NodesBehind(g, options_.liveness); });
      if (behind && behind->empty()) co_return true;
      if (behind) {
        last_problem = std::to_string(behind->size()) + " node(s) behind, e.g. " + behind->front();
      } else {
        last_problem = behind.error().message;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    timer.expires_after(options_.check_every);
    auto [ec] = co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    (void)ec;
  }
  LogLine(LogLevel::kWarning,
          "config: a configuration write answers without every node's confirmation (after " +
              std::to_string(options_.max_wait.count()) + " ms): " + last_problem);
  co_return false;
}

}  // namespace kura::node
