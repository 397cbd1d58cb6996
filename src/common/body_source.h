// Where a request body comes from, as the layers above the transport read it: raw bytes in
// bounded pieces (transfer-decoded, not yet verified). http::Exchange implements it over the
// socket; tests implement it over a string. Above the pipeline a body is read only through
// sigv4::VerifiedBody, which wraps a BodySource. Thread-safety: one coroutine at a time.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <span>
#include <string_view>

#include "common/error.h"

namespace kura {

class BodySource {
 public:
  virtual ~BodySource() = default;

  // Next piece of the request body (transfer-decoded), or an empty view at its end. The view is
  // valid until the next call. Errors: kIncompleteBody (peer closed early), kRequestTimeout.
  virtual boost::asio::awaitable<Result<std::string_view>> ReadBody() = 0;
  // The same into the caller's memory (e.g. a blob writer's staging buffer, saving a copy):
  // reads at least one byte into non-empty `out` and returns how many, 0 at the body's end. A
  // Content-Length body fills `out` unless the body ends first.
  virtual boost::asio::awaitable<Result<size_t>> ReadBodyInto(std::span<char> out) = 0;
  // Reads and discards what remains of the body, so the connection can be reused.
  virtual boost::asio::awaitable<Result<void>> DiscardBody() = 0;
};

}  // namespace kura
