// The bytes of an HTTP/1.1 response head (RFC 9112 section 4 and 6): status line, the handler's
// fields in their order, then the Content-Length and Connection fields the connection decides.
// Written by hand rather than by Beast's serializer: for a small response the generic
// serializer's buffer sequences cost more than the rest of the write. Thread-safety: pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/exchange.h"

namespace kura::http {

// `content_length` is omitted when nullopt; `keep_alive` false adds "Connection: close".
// Content-Length and Connection fields in `head` are replaced by these. CR, LF and NUL in a
// field become spaces: values can come from request parameters (response-content-type=…), and
// a line break there would let a URL's author add headers or a second response.
std::string SerializeResponseHead(const ResponseHead& head, std::optional<uint64_t> content_length,
                                  bool keep_alive);

}  // namespace kura::http
