#include "s3/blob_read_ahead.h"

#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace kura::s3 {

// Shared by the BlobReadAhead and the read in flight (whichever ends last frees it).
struct BlobReadAhead::State {
  std::unique_ptr<store::BlobReader> reader;
  std::vector<char> buffers[2];
  std::mutex mu;
  std::optional<Result<size_t>> result;                // guarded by mu: the finished read's
  std::function<void(Result<size_t>)> waiter;          // guarded by mu: Take() waiting for it

  void Finish(Result<size_t> done) {
    std::function<void(Result<size_t>)> wake;
    {
      std::lock_guard lock(mu);
      if (!waiter) {
        result.emplace(std::move(done));
        return;
      }
      wake = std::move(waiter);
      waiter = nullptr;
    }
    wake(std::move(done));
  }
};

namespace {

// Fills `out` from `offset` (ReadAt may return less than asked, e.g. at a part's end).
Result<size_t> Fill(store::BlobReader& reader, uint64_t offset, std::span<char> out) {
  size_t have = 0;
  while (have < out.size()) {
    auto got = reader.ReadAt(offset + have, out.subspan(have));
    if (!got) return got.error();
    if (*got == 0) {
      return MakeError(ErrorCode::kInternalError, "object data is shorter than its size");
    }
    have += *got;
  }
  return have;
}

}  // namespace

BlobReadAhead::BlobReadAhead(store::BlobStore& blobs, std::unique_ptr<store::BlobReader> reader,
                             ByteRange range, size_t buffer_bytes)
    : blobs_(blobs),
      state_(std::make_shared<State>()),
      offset_(range.first),
      left_(range.length),
      buffer_bytes_(std::min<uint64_t>(buffer_bytes, range.length)) {
  state_->reader = std::move(reader);
}

BlobReadAhead::~BlobReadAhead() = default;

void BlobReadAhead::Start() {
  if (in_flight_ || left_ == 0) return;
  std::vector<char>& buffer = state_->buffers[next_buffer_];
  if (buffer.empty()) buffer.resize(buffer_bytes_);
  size_t length = std::min<uint64_t>(left_, buffer.size());
  std::span<char> out(buffer.data(), length);
  offset_ += length;
  left_ -= length;
  in_flight_ = true;
  store::PostRead(blobs_, [state = state_, offset = offset_ - length, out] {
    state->Finish(Fill(*state->reader, offset, out));
  });
}

boost::asio::awaitable<Result<std::string_view>> BlobReadAhead::Take() {
  if (!in_flight_) co_return std::string_view();
  // Named, not a prvalue argument: GCC 12 may destroy a class prvalue passed to a coroutine
  // twice, and this one holds a reference count.
  auto wait = [state = state_](auto done) {
    std::unique_lock lock(state->mu);
    if (!state->result) {
      state->waiter = std::move(done);
      return;
    }
    Result<size_t> ready = std::move(*state->result);
    state->result.reset();
    lock.unlock();
    done(std::move(ready));
  };
  Result<size_t> got = co_await AwaitCallback<Result<size_t>>(std::move(wait));
  in_flight_ = false;
  if (!got) co_return got.error();
  const char* data = state_->buffers[next_buffer_].data();
  next_buffer_ ^= 1;
  co_return std::string_view(data, *got);
}

}  // namespace kura::s3
