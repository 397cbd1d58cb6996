// Where a response goes: one whole response with a small body, or a head followed by streamed
// pieces (object GETs, with sendfile where the transport allows). http::Exchange implements it
// over the socket; tests implement it in memory. Thread-safety: one coroutine at a time.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/http_head.h"

namespace kura {

class ResponseSink {
 public:
  virtual ~ResponseSink() = default;

  // A whole response with a small body; sets Content-Length.
  virtual boost::asio::awaitable<Result<void>> Respond(ResponseHead head, std::string body) = 0;
  // A whole response whose body the caller keeps alive until the write completes (no copy);
  // head and body leave in one write. Content-Length is set from the body.
  virtual boost::asio::awaitable<Result<void>> RespondView(ResponseHead head, std::string_view body) = 0;
  // A streamed response: the head (with Content-Length set by the caller), then pieces.
  virtual boost::asio::awaitable<Result<void>> WriteHead(ResponseHead head, uint64_t content_length) = 0;
  virtual boost::asio::awaitable<Result<void>> WriteBody(std::string_view piece) = 0;
  // length bytes of an open file from offset; sendfile(2) on plain TCP, read+write otherwise.
  virtual boost::asio::awaitable<Result<void>> WriteFile(int fd, uint64_t offset, uint64_t length) = 0;

  // Whether a response was started (then an error can only close the connection).
  virtual bool response_started() const = 0;
  // The status of the response started, 0 before.
  virtual int response_status() const = 0;
  // Ask the connection to close after this exchange.
  virtual void CloseAfterResponse() = 0;
};

}  // namespace kura
