#include "http/request_head.h"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <cstdint>

#include "common/limits.h"

namespace kura::http {
namespace {

namespace bhttp = boost::beast::http;

constexpr const char* kNotARequestLine = "The request line is not METHOD SP TARGET SP HTTP/1.1.";

// RFC 9112 2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT. Beast calls every version but 1.0 and
// 1.1 bad_version; a well-formed other one (HTTP/2.0's preface, HTTP/9.9) is answered 505, a
// garbled request line 400.
bool NamesAnotherHttpVersion(std::string_view head) {
  size_t eol = head.find("\r\n");
  if (eol == std::string_view::npos || eol < 9) return false;
  std::string_view version = head.substr(eol - 9, 9);
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return version.starts_with(" HTTP/") && digit(version[6]) && version[7] == '.' &&
         digit(version[8]);
}

// Whether the request line ends in a version at all: an HTTP/0.9 request ("GET /") does not.
bool RequestLineHasVersion(std::string_view head) {
  return head.substr(0, head.find("\r\n")).find(" HTTP/") != std::string_view::npos;
}

}  // namespace

std::optional<Error> ProtocolError(const boost::system::error_code& ec, std::string_view head) {
  using bhttp::error;
  if (ec.category() != bhttp::make_error_code(error::bad_field).category()) return std::nullopt;
  switch (static_cast<error>(ec.value())) {
    case error::end_of_stream:
    case error::partial_message:
      return std::nullopt;
    case error::header_limit:
      return MakeError(ErrorCode::kRequestHeaderSectionTooLarge);
    case error::bad_content_length:
    case error::multiple_content_length:
      return MakeError(ErrorCode::kBadRequest,
                       "Content-Length must be one non-negative decimal number, without "
                       "Transfer-Encoding.");
    case error::bad_transfer_encoding:
      return MakeError(ErrorCode::kBadRequest,
                       "Transfer-Encoding must be given once, without Content-Length.");
    case error::bad_version:
      if (NamesAnotherHttpVersion(head)) return MakeError(ErrorCode::kHTTPVersionNotSupported);
      return MakeError(ErrorCode::kBadRequest, kNotARequestLine);
    case error::bad_method:
      return MakeError(ErrorCode::kBadRequest, "The request method is malformed.");
    case error::bad_target:
      if (!RequestLineHasVersion(head)) return MakeError(ErrorCode::kBadRequest, kNotARequestLine);
      return MakeError(ErrorCode::kInvalidURI);
    case error::bad_field:
    case error::bad_value:
    case error::bad_obs_fold:
      return MakeError(ErrorCode::kBadRequest, "A header field is malformed.");
    case error::bad_line_ending:
      return MakeError(ErrorCode::kBadRequest, "Each line of the request head must end with CRLF.");
    default:
      return MakeError(ErrorCode::kBadRequest, "The request is not well-formed HTTP/1.1.");
  }
}

void ApplyRequestLimits(RequestParser& parser) {
  parser.header_limit(static_cast<std::uint32_t>(limits::kMaxRequestHeaderBytes));
  parser.body_limit(boost::none);  // handlers enforce per-operation limits
}

std::optional<Error> CheckRequestHead(const RequestParser& parser) {
  // RFC 9112 6.3: a request whose Transfer-Encoding does not end in chunked has no knowable
  // length; serving it as bodiless would read its body as the next request.
  const auto& req = parser.get();
  if (!parser.chunked() && req.find(bhttp::field::transfer_encoding) != req.end()) {
    return MakeError(ErrorCode::kBadRequest, "Transfer-Encoding must end with chunked.");
  }
  return std::nullopt;
}

}  // namespace kura::http
