// Streaming a range of a stored blob to a client without reading on an I/O thread: each buffer
// is read (and, for a file blob, verified against its checksums: store/fs/fs_blob_reader.h) on
// the blob store's read pool, one buffer ahead of the caller, so the read of the next buffer
// overlaps the socket write of this one, and a slow or stalled disk stalls only this response.
//
//   BlobReadAhead ahead(env.blobs, std::move(reader), range, kBufferBytes);
//   ahead.Start();
//   for (auto chunk = co_await ahead.Take(); chunk && !chunk->empty(); chunk = co_await ahead.Take()) {
//     ahead.Start();             // the next buffer, while this one is written
//     co_await Write(*chunk);
//   }
//
// The reader and both buffers are shared with the read in flight, so abandoning a BlobReadAhead
// (the client went away) is safe: the last read finishes into memory that outlives it.
// Thread-safety: one coroutine uses a BlobReadAhead; its reads run on the pool, one at a time.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>

#include "common/async_bridge.h"
#include "common/error.h"
#include "s3/byte_range.h"
#include "store/blob_reads.h"
#include "store/blob_store.h"

namespace kura::s3 {

class BlobReadAhead {
 public:
  BlobReadAhead(store::BlobStore& blobs, std::unique_ptr<store::BlobReader> reader, ByteRange range,
                size_t buffer_bytes);
  ~BlobReadAhead();
  BlobReadAhead(const BlobReadAhead&) = delete;
  BlobReadAhead& operator=(const BlobReadAhead&) = delete;

  // Starts reading the next buffer of the range; no-op at its end or while a read is in flight.
  void Start();
  // The bytes of the read started last (valid until the Start() after next); empty when none was
  // started (the range is done). Errors: the reader's (kCorruptData, kInternalError), or
  // kInternalError when the blob is shorter than its size.
  boost::asio::awaitable<Result<std::string_view>> Take();

 private:
  struct State;
  store::BlobStore& blobs_;
  std::shared_ptr<State> state_;
  uint64_t offset_;
  uint64_t left_;
  size_t buffer_bytes_;
  int next_buffer_ = 0;
  bool in_flight_ = false;
};

// Runs fn() on `blobs`' read pool (store::PostRead) and resumes on the caller's executor
// with its result. fn must be copyable (it travels in a std::function).
template <typename Fn>
auto RunRead(store::BlobStore& blobs, Fn fn) -> boost::asio::awaitable<std::invoke_result_t<Fn>> {
  using T = std::invoke_result_t<Fn>;
  co_return co_await AwaitCallback<T>([&blobs, fn = std::move(fn)](auto done) mutable {
    store::PostRead(blobs, [fn, done]() mutable { done(fn()); });
  });
}

}  // namespace kura::s3
