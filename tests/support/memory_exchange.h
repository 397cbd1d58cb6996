// In-memory ends of a request for tests and fuzzers, no sockets: PiecewiseBody serves a fixed
// body as a BodySource in pieces of varying sizes (so markers and chunk headers straddle
// reads), UnverifiedBody wraps one in a VerifiedBody with no signed payload (what an anonymous
// request gets), and MemoryResponse is a ResponseSink that keeps what was answered. Also
// RunToEnd, which runs a coroutine to completion on a private io_context.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/body_source.h"
#include "common/response_sink.h"
#include "sigv4/verified_body.h"

namespace kura::testing {

namespace net = boost::asio;

class PiecewiseBody final : public BodySource {
 public:
  // Pieces cycle through `sizes` (each at least 1). `truncated`: the peer closes early, so the
  // end of `body` is kIncompleteBody instead of the body's end.
  explicit PiecewiseBody(std::string_view body, std::vector<size_t> sizes = {1, 5, 64, 3, 4096, 17, 70000},
                         bool truncated = false)
      : body_(body), sizes_(std::move(sizes)), truncated_(truncated) {}

  net::awaitable<Result<std::string_view>> ReadBody() override {
    if (body_.empty() && truncated_) co_return MakeError(ErrorCode::kIncompleteBody);
    size_t n = std::min(body_.size(), sizes_[reads_++ % sizes_.size()]);
    std::string_view piece = body_.substr(0, n);
    body_.remove_prefix(n);
    co_return piece;
  }
  net::awaitable<Result<size_t>> ReadBodyInto(std::span<char> out) override {
    if (body_.empty() && truncated_) co_return MakeError(ErrorCode::kIncompleteBody);
    size_t n = std::min({body_.size(), sizes_[reads_++ % sizes_.size()], out.size()});
    std::copy_n(body_.data(), n, out.data());
    body_.remove_prefix(n);
    in_place_reads_++;
    co_return n;
  }
  net::awaitable<Result<void>> DiscardBody() override {
    body_ = {};
    co_return Ok();
  }
  size_t in_place_reads() const { return in_place_reads_; }

 private:
  std::string_view body_;
  std::vector<size_t> sizes_;
  bool truncated_;
  size_t reads_ = 0;
  size_t in_place_reads_ = 0;
};

// A body whose payload is not signed (an anonymous request), read through a VerifiedBody.
struct UnverifiedBody {
  explicit UnverifiedBody(std::string_view bytes, std::vector<size_t> sizes = {1, 5, 64, 3, 4096, 17, 70000})
      : source(bytes, std::move(sizes)), verified(source, auth, view, bytes.size()) {}
  PiecewiseBody source;
  sigv4::AuthResult auth;
  sigv4::RequestView view;
  sigv4::VerifiedBody verified;
};

class MemoryResponse final : public ResponseSink {
 public:
  net::awaitable<Result<void>> Respond(ResponseHead head, std::string bytes) override {
    Start(std::move(head));
    sent_body += bytes;
    co_return Ok();
  }
  net::awaitable<Result<void>> RespondView(ResponseHead head, std::string_view bytes) override {
    Start(std::move(head));
    sent_body += bytes;
    co_return Ok();
  }
  net::awaitable<Result<void>> WriteHead(ResponseHead head, uint64_t) override {
    Start(std::move(head));
    co_return Ok();
  }
  net::awaitable<Result<void>> WriteBody(std::string_view piece) override {
    sent_body += piece;
    co_return Ok();
  }
  net::awaitable<Result<void>> WriteFile(int fd, uint64_t offset, uint64_t length) override {
    std::string bytes(length, '\0');
    if (::pread(fd, bytes.data(), length, static_cast<off_t>(offset)) != static_cast<ssize_t>(length)) {
      co_return MakeError(ErrorCode::kInternalError);
    }
    sent_body += bytes;
    co_return Ok();
  }
  bool response_started() const override { return sent_head.has_value(); }
  int response_status() const override { return sent_head ? static_cast<int>(sent_head->status) : 0; }
  void CloseAfterResponse() override { closed = true; }

  std::optional<ResponseHead> sent_head;
  std::string sent_body;
  bool closed = false;

 private:
  void Start(ResponseHead head) {
    if (sent_head) std::abort();  // one response per exchange
    sent_head = std::move(head);
  }
};

template <typename T>
net::awaitable<void> StoreResult(net::awaitable<T> awaitable, std::optional<T>& out) {
  out.emplace(co_await std::move(awaitable));
}

// Runs `awaitable` on `context` to completion and returns its value (aborts if it throws or never
// finishes). Code that hands work to a thread pool (RunBlocking) leaves the pool's job holding
// objects of `context` a moment after the coroutine resumed: such tests keep one context that
// outlives the pool (declared before it) rather than one per call.
template <typename T>
T RunToEnd(net::io_context& context, net::awaitable<T> awaitable) {
  context.restart();
  std::optional<T> out;
  net::co_spawn(context, StoreResult(std::move(awaitable), out), [](std::exception_ptr e) {
    if (e) std::abort();
  });
  context.run();
  if (!out) std::abort();
  return std::move(*out);
}

// The same on a context of its own, for code that uses no thread pool.
template <typename T>
T RunToEnd(net::awaitable<T> awaitable) {
  net::io_context context;
  return RunToEnd(context, std::move(awaitable));
}

// The same for a coroutine without a value.
inline void RunToEnd(net::io_context& context, net::awaitable<void> awaitable) {
  context.restart();
  bool done = false;
  net::co_spawn(context, std::move(awaitable), [&done](std::exception_ptr e) {
    if (e) std::abort();
    done = true;
  });
  context.run();
  if (!done) std::abort();
}

inline void RunToEnd(net::awaitable<void> awaitable) {
  net::io_context context;
  RunToEnd(context, std::move(awaitable));
}

}  // namespace kura::testing
