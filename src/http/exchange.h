// One HTTP request/response exchange as request handling sees it, independent of the transport
// (plain TCP or TLS). The connection coroutine owns the stream; a handler reads the request body
// incrementally (bounded memory: one buffer at a time) and writes one response, either whole
// (small XML/JSON bodies) or as a head followed by streamed pieces (object GETs, with sendfile
// where the transport allows). Thread-safety: used by one coroutine at a time (the connection's).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"

namespace kura::http {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;

struct RequestHead {
  bhttp::verb method = bhttp::verb::unknown;
  std::string method_string;
  std::string target;  // raw request-target
  bhttp::fields fields;
  bool has_content_length = false;
  uint64_t content_length = 0;
  bool chunked = false;  // Transfer-Encoding: chunked (decoded by the transport)
  std::string remote_address;
  bool secure_transport = false;
};

struct ResponseHead {
  bhttp::status status = bhttp::status::ok;
  bhttp::fields fields;
};

class Exchange {
 public:
  virtual ~Exchange() = default;

  virtual const RequestHead& request() const = 0;

  // Next piece of the request body (transfer-decoded), or an empty view at its end. The view is
  // valid until the next call. Errors: kIncompleteBody (peer closed early), kRequestTimeout.
  virtual net::awaitable<Result<std::string_view>> ReadBody() = 0;
  // The same into the caller's memory (e.g. a blob writer's staging buffer, saving a copy):
  // reads at least one byte into non-empty `out` and returns how many, 0 at the body's end. A
  // Content-Length body fills `out` unless the body ends first.
  virtual net::awaitable<Result<size_t>> ReadBodyInto(std::span<char> out) = 0;
  // Reads and discards what remains of the body, so the connection can be reused.
  virtual net::awaitable<Result<void>> DiscardBody() = 0;

  // A whole response with a small body; sets Content-Length.
  virtual net::awaitable<Result<void>> Respond(ResponseHead head, std::string body) = 0;
  // A whole response whose body the caller keeps alive until the write completes (no copy);
  // head and body leave in one write. Content-Length is set from the body.
  virtual net::awaitable<Result<void>> RespondView(ResponseHead head, std::string_view body) = 0;
  // A streamed response: the head (with Content-Length set by the caller), then pieces.
  virtual net::awaitable<Result<void>> WriteHead(ResponseHead head, uint64_t content_length) = 0;
  virtual net::awaitable<Result<void>> WriteBody(std::string_view piece) = 0;
  // length bytes of an open file from offset; sendfile(2) on plain TCP, read+write on TLS.
  virtual net::awaitable<Result<void>> WriteFile(int fd, uint64_t offset, uint64_t length) = 0;

  // Whether a response was started (then an error can only close the connection).
  virtual bool response_started() const = 0;
  // The status of the response started, 0 before.
  virtual int response_status() const = 0;
  // Ask the connection to close after this exchange.
  virtual void CloseAfterResponse() = 0;
};

class Handler {
 public:
  virtual ~Handler() = default;
  virtual net::awaitable<void> Handle(Exchange& exchange) = 0;
  // Answers what the connection cannot serve as a request: a malformed or oversized head, an
  // HTTP version other than 1.0/1.1, or a connection over the server's cap (kSlowDown). The
  // transport knows no API, so the handler renders `error` as its API renders errors and
  // writes one response; the connection closes after it. `exchange.request()` holds only the
  // remote address, and there is no body to read.
  virtual net::awaitable<void> HandleProtocolError(Exchange& exchange, const Error& error) = 0;
};

}  // namespace kura::http
