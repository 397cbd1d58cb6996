// How kura reads an HTTP/1.1 request head (RFC 9112 sections 2-3 and 6): Beast's parser with
// kura's limits, the answer to a head Beast refuses, and kura's own checks on a head Beast
// accepted. The connection coroutine feeds the parser from the socket; the request-head fuzz
// target (fuzz/http_request_head_fuzz.cc) feeds it bytes, so both parse the same way.
// Thread-safety: pure functions.
#pragma once

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/system/error_code.hpp>
#include <optional>
#include <string_view>

#include "common/error.h"

namespace kura::http {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;

// Sets kura's limits on a fresh parser: limits::kMaxRequestHeaderBytes for the head, none for
// the body (handlers enforce per-operation limits).
void ApplyRequestLimits(RequestParser& parser);

// The answer to a request head the parser refused with `ec`, or nullopt when nobody is there to
// read one (the peer closed or went quiet). `unparsed` is the bytes not yet parsed, for telling
// 505 from 400.
std::optional<Error> ProtocolError(const boost::system::error_code& ec, std::string_view unparsed);

// kura's checks on a head the parser accepted: the error to answer, or nullopt to serve it.
std::optional<Error> CheckRequestHead(const RequestParser& parser);

}  // namespace kura::http
