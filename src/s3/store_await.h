// Awaiting the store's group-committed writes from a handler coroutine: the write's callback
// runs on the store's writer thread; the handler resumes on its own strand.
#pragma once

#include "common/async_bridge.h"
#include "store/metadata_store.h"

namespace kura::s3 {

// co_await StoreWrite<void>([&](auto done) { env.metadata.CreateBucket(record, done); });
template <typename T, typename Start>
net::awaitable<Result<T>> StoreWrite(Start start) {
  co_return co_await AwaitCallback<Result<T>>(
      [start = std::move(start)](auto done) mutable { start(store::Callback<T>(std::move(done))); });
}

}  // namespace kura::s3
