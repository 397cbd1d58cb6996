// Fuzzes the HTTP/1.1 request head as kura reads it: Beast's parser with kura's limits
// (ApplyRequestLimits), fed the way a socket delivers bytes, then kura's answer to a refused
// head (ProtocolError) or its checks on an accepted one (CheckRequestHead), and the fields the
// connection copies out. Input layout: the first byte is how many bytes each "read" delivers
// (0: all at once), so split points inside tokens are fuzzed too; the rest is the stream.
// Any error kura answers must carry a message; crashes, hangs and sanitizer reports must not happen.
#include <boost/asio/buffer.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/request_head.h"

namespace {

namespace bhttp = boost::beast::http;

void ExpectMessage(const std::optional<kura::Error>& error) {
  if (error && error->message.empty()) __builtin_trap();
}

// Parses `stream` in reads of `step` bytes the way bhttp::async_read_header does: put what is
// buffered, keep the unparsed rest, read more on need_more, put_eof at the end of the input.
boost::system::error_code ReadHead(kura::http::RequestParser& parser, std::string_view stream,
                                   size_t step, std::string& unparsed) {
  boost::system::error_code ec;
  size_t offset = 0;
  while (!parser.is_header_done()) {
    if (offset >= stream.size()) {
      parser.put_eof(ec);
      return ec ? ec : bhttp::error::partial_message;
    }
    unparsed.append(stream.substr(offset, step));
    offset += step;
    size_t used = parser.put(boost::asio::buffer(unparsed), ec);
    unparsed.erase(0, used);
    if (ec == bhttp::error::need_more) ec = {};
    if (ec) return ec;
  }
  return ec;
}

// What ServeConnection copies out of an accepted head.
size_t TouchHead(const kura::http::RequestParser& parser) {
  const auto& req = parser.get();
  size_t total = req.method_string().size() + req.target().size();
  for (const auto& field : req.base()) total += field.name_string().size() + field.value().size();
  total += parser.content_length().value_or(0) > 0 ? 1 : 0;
  return total + (parser.chunked() ? 1 : 0) + (parser.keep_alive() ? 1 : 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t step = data[0] == 0 ? stream.size() + 1 : data[0];
  kura::http::RequestParser parser;
  kura::http::ApplyRequestLimits(parser);
  std::string unparsed;
  boost::system::error_code ec = ReadHead(parser, stream, step, unparsed);
  if (ec) {
    ExpectMessage(kura::http::ProtocolError(ec, unparsed));
    return 0;
  }
  auto refused = kura::http::CheckRequestHead(parser);
  ExpectMessage(refused);
  if (!refused && TouchHead(parser) == 0) __builtin_trap();  // a request line is never empty
  return 0;
}
