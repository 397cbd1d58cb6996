#include "common/virtual_host.h"

namespace kura {

std::string_view BucketFromHost(std::string_view host, std::string_view domain) {
  if (domain.empty()) return {};
  size_t colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(']') == std::string_view::npos)
    host = host.substr(0, colon);
  if (host.size() <= domain.size() + 1 || !host.ends_with(domain)) return {};
  if (host[host.size() - domain.size() - 1] != '.') return {};
  return host.substr(0, host.size() - domain.size() - 1);
}

}  // namespace kura
