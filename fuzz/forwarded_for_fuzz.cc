// X-Forwarded-For behind a trusted proxy (src/http/trusted_proxies.h): the header's content comes
// from clients, the proxy only appends to it. Input: "<trusted list>\n<X-Forwarded-For lines,
// one per line>". Whatever the header, the source address chosen must be an address (never the
// client's raw text), and the peer itself when the header names nothing usable.
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/fields.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/trusted_proxies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t length) {
  std::string_view input(reinterpret_cast<const char*>(data), length);
  size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  auto proxies = kura::http::TrustedProxies::Parse(input.substr(0, newline));
  if (!proxies) {
    if (proxies.error().code != kura::ErrorCode::kInvalidArgument) std::abort();
    return 0;
  }
  boost::beast::http::fields fields;
  std::string_view rest = input.substr(newline + 1);
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    // Beast would refuse a field value with CR, LF or NUL; a connection never passes one on.
    if (line.find_first_of(std::string_view("\r\0", 2)) == std::string_view::npos) {
      fields.insert("X-Forwarded-For", line);
    }
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  const std::string peer = "10.0.0.20";
  std::string client = proxies->ClientAddress(peer, fields);
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(client, ec);
  if (ec) std::abort();
  if (address.to_string() != client) std::abort();
  return 0;
}
