// An http::Exchange for handler tests whose requests carry no body (GET, HEAD, OPTIONS): the
// request head it was made with, an empty body, and a MemoryResponse that keeps the answer
// (and, for a HEAD, the length WriteHead announced). RequestHeadOf builds such a head.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "http/exchange.h"
#include "tests/support/memory_exchange.h"

namespace kura::testing {

inline http::RequestHead RequestHeadOf(
    boost::beast::http::verb method, std::string target,
    std::vector<std::pair<std::string, std::string>> fields = {}) {
  http::RequestHead head;
  head.method = method;
  head.method_string = std::string(boost::beast::http::to_string(method));
  head.target = std::move(target);
  for (auto& [name, value] : fields) head.fields.insert(name, value);
  return head;
}

class BodylessExchange final : public http::Exchange {
 public:
  explicit BodylessExchange(http::RequestHead head) : head_(std::move(head)) {}
  const http::RequestHead& request() const override { return head_; }
  net::awaitable<Result<std::string_view>> ReadBody() override { co_return std::string_view(); }
  net::awaitable<Result<size_t>> ReadBodyInto(std::span<char>) override { co_return size_t{0}; }
  net::awaitable<Result<void>> DiscardBody() override { co_return Ok(); }
  net::awaitable<Result<void>> Respond(ResponseHead head, std::string body) override {
    return response.Respond(std::move(head), std::move(body));
  }
  net::awaitable<Result<void>> RespondView(ResponseHead head, std::string_view body) override {
    return response.RespondView(std::move(head), body);
  }
  net::awaitable<Result<void>> WriteHead(ResponseHead head, uint64_t length) override {
    head_length = length;
    return response.WriteHead(std::move(head), length);
  }
  net::awaitable<Result<void>> WriteBody(std::string_view piece) override {
    return response.WriteBody(piece);
  }
  net::awaitable<Result<void>> WriteFile(int fd, uint64_t offset, uint64_t length) override {
    return response.WriteFile(fd, offset, length);
  }
  bool response_started() const override { return response.response_started(); }
  int response_status() const override { return response.response_status(); }
  void CloseAfterResponse() override { response.CloseAfterResponse(); }

  MemoryResponse response;
  uint64_t head_length = 0;  // what WriteHead announced

 private:
  http::RequestHead head_;
};

}  // namespace kura::testing
