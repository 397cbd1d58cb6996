// The connection coroutine: owns one stream (plain TCP or TLS over TCP), reads request heads,
// lets the Handler read the body piecewise and write one response, and loops for keep-alive.
// Answers "Expect: 100-continue" only when the handler first reads the body, so a request that
// fails authentication is refused before the client sends its payload.
// Thread-safety: runs on the connection's strand only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "http/exchange.h"
#include "http/trusted_proxies.h"

namespace kura::http {

// Serves requests on `stream` until the peer closes, an error, or a timeout. `buffer` holds any
// bytes already read from the stream (TLS detection). `vouching`: set when the peer at
// `remote_address` is a trusted proxy; each request's source address is then the client its
// X-Forwarded-For names (TrustedProxies::ClientAddress).
template <class Stream>
net::awaitable<void> ServeConnection(Stream& stream, boost::beast::flat_buffer& buffer,
                                     Handler& handler, std::string remote_address, bool secure,
                                     const TrustedProxies* vouching = nullptr);

// Answers `error` (kSlowDown at the server's connection cap) through
// Handler::HandleProtocolError without reading a request, then closes the connection.
template <class Stream>
net::awaitable<void> RefuseConnection(Stream& stream, boost::beast::flat_buffer& buffer,
                                      Handler& handler, std::string remote_address, bool secure,
                                      const Error& error);

}  // namespace kura::http
