// The S3 handlers' reads of the metadata store, as awaitables: inline on the embedded store (a
// read there is a few µs of this thread's CPU, cheaper than any hop), on S3Env::metadata_reads
// when the store's reads wait on the network (PostgreSQL), so that a slow read on one connection
// never stalls the other connections of its I/O thread (issue #20).
// The arguments are borrowed until the read completes: co_await the result at once.
// Thread-safety: as the store's reads.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/async_bridge.h"
#include "s3/s3_call.h"

namespace kura::s3 {

// Runs fn() — a blocking read, or a synchronous step that makes some — inline when `threads` is
// null, else on `threads`, resuming the coroutine on its own executor with fn's value. fn may
// borrow the coroutine's locals: the coroutine waits for it.
template <typename Fn>
net::awaitable<std::invoke_result_t<Fn>> StoreRead(net::thread_pool* threads, Fn fn) {
  if (threads == nullptr) co_return fn();
  co_return co_await RunBlocking(*threads, std::move(fn));
}

// A synchronous step that makes reads (a helper that checks a bucket's configuration, the
// authorization of a copy source…), run where those reads may wait.
template <typename Fn>
net::awaitable<std::invoke_result_t<Fn>> ReadStep(S3Env& env, Fn fn) {
  return StoreRead(env.metadata_reads, std::move(fn));
}

inline net::awaitable<Result<store::BucketRecord>> ReadBucket(S3Env& env, std::string_view name) {
  return ReadStep(env, [&metadata = env.metadata, name] { return metadata.GetBucket(name); });
}

// MetadataStore::GetObject (with its inline bytes) and GetObjectMeta (without).
inline net::awaitable<Result<store::ObjectRecord>> ReadObject(
    S3Env& env, std::string_view bucket, std::string_view key,
    std::optional<std::string_view> version_id) {
  return ReadStep(env, [&metadata = env.metadata, bucket, key, version_id] {
    return metadata.GetObject(bucket, key, version_id);
  });
}
inline net::awaitable<Result<store::ObjectRecord>> ReadObjectMeta(
    S3Env& env, std::string_view bucket, std::string_view key,
    std::optional<std::string_view> version_id) {
  return ReadStep(env, [&metadata = env.metadata, bucket, key, version_id] {
    return metadata.GetObjectMeta(bucket, key, version_id);
  });
}

inline net::awaitable<Result<store::UploadRecord>> ReadUpload(S3Env& env, std::string_view bucket,
                                                              std::string_view key,
                                                              std::string_view upload_id) {
  return ReadStep(env, [&metadata = env.metadata, bucket, key, upload_id] {
    return metadata.GetUpload(bucket, key, upload_id);
  });
}

inline net::awaitable<Result<std::vector<store::PartRecord>>> ReadParts(S3Env& env,
                                                                        std::string_view upload_id,
                                                                        int after_part, int limit) {
  return ReadStep(env, [&metadata = env.metadata, upload_id, after_part, limit] {
    return metadata.ListParts(upload_id, after_part, limit);
  });
}

}  // namespace kura::s3
