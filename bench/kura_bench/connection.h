// One keep-alive HTTP/1.1 client connection on a non-blocking socket, driven by its thread's
// EventLoop: connects lazily (and again after the server closes), writes the request head and
// streams the body, parses the response and streams its body into a BodySink. One request at a
// time; the listener hears exactly once per Send, from inside Send or an event callback.
// Thread-safety: one thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "kura_bench/body_stream.h"
#include "kura_bench/endpoint.h"
#include "kura_bench/event_loop.h"
#include "kura_bench/response_parser.h"
#include "kura_bench/transport.h"

namespace kura::bench {

using SteadyTime = std::chrono::steady_clock::time_point;

struct OutgoingRequest {
  std::string head;                  // request line + headers + blank line
  std::unique_ptr<BodyStream> body;  // may be null
  bool head_request = false;         // HEAD: the response has no body
};

class ConnectionListener {
 public:
  virtual ~ConnectionListener() = default;
  // The whole response arrived; its body went to the sink. first_byte is when its first byte
  // was read.
  virtual void OnResponse(const ResponseHead& head, SteadyTime first_byte) = 0;
  // The exchange failed (connect, TLS, reset, malformed response).
  virtual void OnFailure(const std::string& why) = 0;
};

class Connection final : public EventHandler {
 public:
  Connection(EventLoop& loop, const Endpoint& endpoint, ssl_ctx_st* tls, bool verify_tls,
             ConnectionListener& listener);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts an exchange; requires !busy().
  void Send(OutgoingRequest request, BodySink& sink);
  bool busy() const { return busy_; }
  void OnEvents(uint32_t epoll_events) override;

 private:
  enum class Phase { kClosed, kConnecting, kHandshake, kOpen };
  enum class Pending { kNone, kResponse, kFailure };

  void Open();
  void Close();
  void Progress(bool readable);
  bool WriteRequest();  // true when the request is fully written
  void ReadResponse();
  void Complete();
  void Fail(const std::string& why);
  void Notify();

  EventLoop& loop_;
  const Endpoint& endpoint_;
  ssl_ctx_st* tls_;
  bool verify_tls_;
  ConnectionListener& listener_;
  int fd_ = -1;
  Phase phase_ = Phase::kClosed;
  std::unique_ptr<Transport> transport_;
  bool busy_ = false;
  Pending pending_ = Pending::kNone;  // the outcome, told to the listener by Notify
  std::string failure_;
  OutgoingRequest request_;
  size_t head_sent_ = 0;
  bool sent_ = false;
  BodySink* sink_ = nullptr;
  ResponseParser parser_;
  bool got_first_byte_ = false;
  SteadyTime first_byte_;
  std::unique_ptr<char[]> buffer_;
};

}  // namespace kura::bench
