// The heads of one HTTP request and its response as request handling sees them, independent of
// the transport that parsed or will write them (http/ fills a RequestHead and serializes a
// ResponseHead). Header names compare case-insensitively (RFC 9110 section 5.1).
// Thread-safety: plain values.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace kura {

namespace bhttp = boost::beast::http;

// One header field as received (name in any case), borrowed from a RequestHead.
struct HeaderField {
  std::string_view name;
  std::string_view value;
};

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

  // The value of the first field named `name` (any case), or "" if there is none.
  std::string_view Header(std::string_view name) const {
    auto it = fields.find(name);
    return it == fields.end() ? std::string_view() : std::string_view(it->value());
  }
  bool HasHeader(std::string_view name) const { return fields.find(name) != fields.end(); }
};

struct ResponseHead {
  bhttp::status status = bhttp::status::ok;
  bhttp::fields fields;
};

}  // namespace kura
