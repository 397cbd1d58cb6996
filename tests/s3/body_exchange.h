// An http::Exchange that serves a fixed request body in pieces of varying sizes (so markers
// straddle reads) and refuses to respond; for the POST form tests and fuzz/post_form.
// Also RunToEnd, which runs a coroutine to completion on a private io_context.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

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

#include "http/exchange.h"

namespace kura::s3::testing {

class BodyExchange final : public http::Exchange {
 public:
  // Pieces cycle through `sizes` (each at least 1).
  explicit BodyExchange(std::string_view body, std::vector<size_t> sizes = {1, 5, 64, 3, 4096, 17, 70000})
      : body_(body), sizes_(std::move(sizes)) {}

  const http::RequestHead& request() const override { return head_; }
  http::net::awaitable<Result<std::string_view>> ReadBody() override {
    size_t n = std::min(body_.size(), sizes_[reads_++ % sizes_.size()]);
    std::string_view piece = body_.substr(0, n);
    body_.remove_prefix(n);
    co_return piece;
  }
  http::net::awaitable<Result<size_t>> ReadBodyInto(std::span<char> out) override {
    size_t n = std::min({body_.size(), sizes_[reads_++ % sizes_.size()], out.size()});
    std::copy_n(body_.data(), n, out.data());
    body_.remove_prefix(n);
    co_return n;
  }
  http::net::awaitable<Result<void>> DiscardBody() override {
    body_ = {};
    co_return Ok();
  }
  http::net::awaitable<Result<void>> Respond(http::ResponseHead, std::string) override { std::abort(); }
  http::net::awaitable<Result<void>> RespondView(http::ResponseHead, std::string_view) override { std::abort(); }
  http::net::awaitable<Result<void>> WriteHead(http::ResponseHead, uint64_t) override { std::abort(); }
  http::net::awaitable<Result<void>> WriteBody(std::string_view) override { std::abort(); }
  http::net::awaitable<Result<void>> WriteFile(int, uint64_t, uint64_t) override { std::abort(); }
  bool response_started() const override { return false; }
  int response_status() const override { return 0; }
  void CloseAfterResponse() override {}

 private:
  http::RequestHead head_;
  std::string_view body_;
  std::vector<size_t> sizes_;
  size_t reads_ = 0;
};

template <typename T>
http::net::awaitable<void> StoreResult(http::net::awaitable<T> awaitable, std::optional<T>& out) {
  out.emplace(co_await std::move(awaitable));
}

// Runs `awaitable` to completion and returns its value (aborts if it throws or never finishes).
template <typename T>
T RunToEnd(http::net::awaitable<T> awaitable) {
  http::net::io_context context;
  std::optional<T> out;
  http::net::co_spawn(context, StoreResult(std::move(awaitable), out), [](std::exception_ptr e) {
    if (e) std::abort();
  });
  context.run();
  if (!out) std::abort();
  return std::move(*out);
}

}  // namespace kura::s3::testing
