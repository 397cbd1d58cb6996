// Bridges from coroutines to the two kinds of work that must not run on an I/O thread:
// blocking calls (fsync, unlink) run on a named thread pool, and callback-style completions
// (the store's group-committed writes) resume the awaiting coroutine on its own executor.
// Thread-safety: the pool is thread-safe; each awaiting coroutine resumes on its strand.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace kura::http {

namespace net = boost::asio;

// Awaits a callback-style operation: `start(done)` begins it and `done(T)` may be called from
// any thread, once. The coroutine resumes on its own executor with the value.
// The wait is a timer on the coroutine's executor that `done` cancels (posted to that executor,
// so the flag and the wait never race). Handing asio's use_awaitable handler itself to another
// thread, as an earlier version did, freed the connection's coroutine stack when a keep-alive
// connection awaited its second store write (valgrind: use after free in Session's frame).
template <typename T, typename Start>
net::awaitable<T> AwaitCallback(Start start) {
  auto executor = co_await net::this_coro::executor;
  struct Waiter {
    explicit Waiter(const net::any_io_executor& ex)
        : timer(ex, net::steady_timer::time_point::max()) {}
    net::steady_timer timer;
    std::optional<T> value;
  };
  auto waiter = std::make_shared<Waiter>(executor);
  start([executor, waiter](T value) mutable {
    net::post(executor, [waiter, value = std::make_shared<T>(std::move(value))]() mutable {
      waiter->value.emplace(std::move(*value));
      waiter->timer.cancel();
    });
  });
  while (!waiter->value) {
    auto [ec] = co_await waiter->timer.async_wait(net::as_tuple(net::use_awaitable));
    (void)ec;
  }
  co_return std::move(*waiter->value);
}

// Runs fn() on the pool and resumes on the caller's executor with its result.
template <typename Fn>
auto RunBlocking(net::thread_pool& pool, Fn fn) -> net::awaitable<std::invoke_result_t<Fn>> {
  using T = std::invoke_result_t<Fn>;
  co_return co_await AwaitCallback<T>([&pool, fn = std::move(fn)](auto done) mutable {
    net::post(pool, [fn = std::move(fn), done = std::move(done)]() mutable { done(fn()); });
  });
}

}  // namespace kura::http
