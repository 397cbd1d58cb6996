// Bridges from coroutines to the two kinds of work that must not run on an I/O thread:
// blocking calls (fsync, unlink) run on a named thread pool, and callback-style completions
// (the store's group-committed writes) resume the awaiting coroutine on its own executor.
// Thread-safety: the pool is thread-safe; each awaiting coroutine resumes on its strand.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
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
template <typename T, typename Start>
net::awaitable<T> AwaitCallback(Start start) {
  auto executor = co_await net::this_coro::executor;
  auto result = co_await net::async_initiate<const net::use_awaitable_t<>, void(std::optional<T>)>(
      [executor, start = std::move(start)](auto handler) mutable {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        start([executor, shared](T value) mutable {
          net::post(executor, [shared, value = std::make_shared<T>(std::move(value))]() mutable {
            (*shared)(std::optional<T>(std::move(*value)));
          });
        });
      },
      net::use_awaitable);
  co_return std::move(*result);
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
