// The server kura-bench talks to: parsed from --endpoint (http(s)://host[:port]) and resolved
// once, so connections never call the resolver on the load path. Thread-safety: plain value.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace kura::bench {

struct Endpoint {
  bool tls = false;
  std::string host;
  uint16_t port = 0;
  std::string host_header;  // "host" or "host:port" when the port is not the scheme's default
  sockaddr_storage address{};
  socklen_t address_length = 0;
};

// Parses and resolves (first address of getaddrinfo). Errors name what was wrong.
Result<Endpoint> ResolveEndpoint(std::string_view url);

}  // namespace kura::bench
