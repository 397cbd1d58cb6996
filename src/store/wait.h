// Blocking adapters for the asynchronous MetadataStore writes, for start-up code, admin tools
// and tests (never on an io_context thread: they block until the durable commit).
// Thread-safety: as the store's calls.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <utility>

#include "store/metadata_store.h"

namespace kura::store {

// Calls `start` with a callback and waits for that callback's result.
// Example: WaitFor<void>([&](Callback<void> cb) { meta.CreateBucket(rec, std::move(cb)); });
template <typename T>
Result<T> WaitFor(const std::function<void(Callback<T>)>& start) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  std::future<Result<T>> future = promise->get_future();
  start([promise](Result<T> result) { promise->set_value(std::move(result)); });
  return future.get();
}

}  // namespace kura::store
