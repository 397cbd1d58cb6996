// Bridges from coroutines to the two kinds of work that must not run on an I/O thread:
// blocking calls (fsync, unlink) run on a named thread pool, and callback-style completions
// (the store's group-committed writes) resume the awaiting coroutine on its own executor.
// Executor plumbing, not transport: the storage and service layers (s3, iam, sts) use it.
// Thread-safety: the pool is thread-safe; each awaiting coroutine resumes on its strand.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
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

namespace kura {

// Awaits a callback-style operation: `start(done)` begins it and `done(T)` may be called from
// any thread, once. The coroutine resumes on its own executor with the value. A timer that is
// cancelled on the coroutine's executor carries the wake-up, so the coroutine is resumed by
// Asio's own machinery whichever thread completes the operation.
template <typename T, typename Start>
boost::asio::awaitable<T> AwaitCallback(Start start) {
  struct State {
    explicit State(boost::asio::any_io_executor ex)
        : timer(ex, boost::asio::steady_timer::time_point::max()) {}
    boost::asio::steady_timer timer;
    std::optional<T> value;
  };
  auto state = std::make_shared<State>(co_await boost::asio::this_coro::executor);
  // The completion moves its reference into the posted handler rather than copying it: the
  // thread that called done() may drop what it holds after the coroutine finished and its
  // io_context is gone, and the last reference must not destroy the timer there.
  start([state](T value) mutable {
    auto executor = state->timer.get_executor();
    boost::asio::post(executor, [state = std::move(state), value = std::move(value)]() mutable {
      state->value.emplace(std::move(value));
      state->timer.cancel();
    });
  });
  while (!state->value) {
    auto [ec] = co_await state->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    (void)ec;
  }
  co_return std::move(*state->value);
}

// Runs fn() on the pool and resumes on the caller's executor with its result.
template <typename Fn>
auto RunBlocking(boost::asio::thread_pool& pool, Fn fn)
    -> boost::asio::awaitable<std::invoke_result_t<Fn>> {
  using T = std::invoke_result_t<Fn>;
  co_return co_await AwaitCallback<T>([&pool, fn = std::move(fn)](auto done) mutable {
    boost::asio::post(pool, [fn = std::move(fn), done = std::move(done)]() mutable { done(fn()); });
  });
}

}  // namespace kura
