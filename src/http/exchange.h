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
#include <utility>

#include "common/body_source.h"
#include "common/error.h"
#include "common/http_head.h"
#include "common/response_sink.h"

namespace kura::http {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;

// The transport-neutral heads (common/http_head.h), under the names http has always used.
using RequestHead = kura::RequestHead;
using ResponseHead = kura::ResponseHead;

// One exchange is the body source and the response sink of its request.
class Exchange : public BodySource, public ResponseSink {
 public:
  virtual const RequestHead& request() const = 0;
  // For the metrics: request body bytes the handler read so far (transfer-decoded), and the
  // body length of the response started (0 for HEAD, 304 and before a response).
  virtual uint64_t body_bytes_read() const { return 0; }
  virtual uint64_t response_body_bytes() const { return 0; }
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

// A small whole answer: `body` for GET, only the head for HEAD (announcing GET's length).
inline net::awaitable<Result<void>> RespondOrHead(Exchange& exchange, ResponseHead head,
                                                  std::string_view body) {
  if (exchange.request().method == bhttp::verb::head) {
    co_return co_await exchange.WriteHead(std::move(head), body.size());
  }
  co_return co_await exchange.RespondView(std::move(head), body);
}

}  // namespace kura::http
