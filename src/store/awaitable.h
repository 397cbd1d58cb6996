// Awaiting the store's group-committed writes from a coroutine (S3 handlers): the write's
// callback runs on the store's writer thread; the coroutine resumes on its own strand.
#pragma once

#include "common/async_bridge.h"
#include "store/metadata_store.h"

namespace kura::store {

// co_await store::StoreWrite<void>([&](auto done) { env.metadata.CreateBucket(record, done); });
template <typename T, typename Start>
boost::asio::awaitable<Result<T>> StoreWrite(Start start) {
  co_return co_await AwaitCallback<Result<T>>(
      [start = std::move(start)](auto done) mutable { start(Callback<T>(std::move(done))); });
}

}  // namespace kura::store
