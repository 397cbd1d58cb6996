#include "kura_bench/endpoint.h"

#include <netdb.h>

#include <charconv>
#include <cstring>

namespace kura::bench {
namespace {

Error Bad(std::string what) { return MakeError(ErrorCode::kInvalidArgument, std::move(what)); }

}  // namespace

Result<Endpoint> ResolveEndpoint(std::string_view url) {
  Endpoint out;
  if (url.starts_with("https://")) {
    out.tls = true;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return Bad("--endpoint must start with http:// or https://");
  }
  while (url.ends_with("/")) url.remove_suffix(1);
  uint16_t default_port = out.tls ? 443 : 80;
  out.port = default_port;
  size_t colon = url.rfind(':');
  bool bracketed = url.starts_with("[");
  if (colon != std::string_view::npos && (!bracketed || url[colon - 1] == ']')) {
    std::string_view port = url.substr(colon + 1);
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
    if (ec != std::errc() || p != port.data() + port.size()) return Bad("bad port in --endpoint");
    url = url.substr(0, colon);
  }
  out.host_header = std::string(url);
  if (out.port != default_port) out.host_header += ":" + std::to_string(out.port);
  if (bracketed) url = url.substr(1, url.size() - 2);
  out.host = std::string(url);
  if (out.host.empty()) return Bad("--endpoint has no host");

  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  std::string port_text = std::to_string(out.port);
  int rc = getaddrinfo(out.host.c_str(), port_text.c_str(), &hints, &result);
  if (rc != 0 || result == nullptr) {
    return Bad("cannot resolve " + out.host + ": " + gai_strerror(rc));
  }
  std::memcpy(&out.address, result->ai_addr, result->ai_addrlen);
  out.address_length = result->ai_addrlen;
  freeaddrinfo(result);
  return out;
}

}  // namespace kura::bench
