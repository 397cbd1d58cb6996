// An exchange that counts the response body bytes a request's answer sent (for the audit
// record's bytesTransferredOut), forwarding everything to the connection's exchange. Forwarding
// returns the inner awaitable itself: no coroutine frame of its own, no cost beyond a call.
// Thread-safety: as http::Exchange (one coroutine at a time).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "http/exchange.h"

namespace kura::api {

namespace net = boost::asio;

class CountingExchange final : public http::Exchange {
 public:
  explicit CountingExchange(http::Exchange& inner) : inner_(inner) {}

  // Body bytes handed to the transport (whole bodies, pieces and file ranges).
  uint64_t bytes_out() const { return bytes_out_; }

  const http::RequestHead& request() const override { return inner_.request(); }
  net::awaitable<Result<std::string_view>> ReadBody() override { return inner_.ReadBody(); }
  net::awaitable<Result<size_t>> ReadBodyInto(std::span<char> out) override {
    return inner_.ReadBodyInto(out);
  }
  net::awaitable<Result<void>> DiscardBody() override { return inner_.DiscardBody(); }
  net::awaitable<Result<void>> Respond(http::ResponseHead head, std::string body) override {
    bytes_out_ += body.size();
    return inner_.Respond(std::move(head), std::move(body));
  }
  net::awaitable<Result<void>> RespondView(http::ResponseHead head,
                                           std::string_view body) override {
    bytes_out_ += body.size();
    return inner_.RespondView(std::move(head), body);
  }
  net::awaitable<Result<void>> WriteHead(http::ResponseHead head,
                                         uint64_t content_length) override {
    return inner_.WriteHead(std::move(head), content_length);
  }
  net::awaitable<Result<void>> WriteBody(std::string_view piece) override {
    bytes_out_ += piece.size();
    return inner_.WriteBody(piece);
  }
  net::awaitable<Result<void>> WriteFile(int fd, uint64_t offset, uint64_t length) override {
    bytes_out_ += length;
    return inner_.WriteFile(fd, offset, length);
  }
  uint64_t body_bytes_read() const override { return inner_.body_bytes_read(); }
  uint64_t response_body_bytes() const override { return inner_.response_body_bytes(); }
  bool response_started() const override { return inner_.response_started(); }
  int response_status() const override { return inner_.response_status(); }
  void CloseAfterResponse() override { inner_.CloseAfterResponse(); }

 private:
  http::Exchange& inner_;
  uint64_t bytes_out_ = 0;
};

}  // namespace kura::api
