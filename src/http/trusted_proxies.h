// The client behind a load balancer (`kura serve --trusted-proxies`, docs/scale-out.md). A node
// behind HAProxy sees the proxy's address on every connection; the proxy names the client in
// `X-Forwarded-For` (HAProxy's `option forwardfor`). kura believes that header only on a
// connection from a trusted proxy, and only as far as trusted proxies vouch for it: it walks the
// list from the right (each proxy appends the address it received the request from), skips the
// addresses of trusted proxies, and takes the first other one — the leftmost entries are the
// client's own claims and never count. The result is the request's source address everywhere:
// aws:SourceIp, the audit record's sourceIPAddress, the session registry's last-used address.
// From any other peer the header is ignored, so a client cannot choose its aws:SourceIp.
// Thread-safety: immutable after Parse; shared by every connection.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <boost/beast/http/fields.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace kura::http {

class TrustedProxies {
 public:
  // "ADDRESS[/PREFIX][,…]", IPv4 or IPv6 ("10.0.0.20", "10.0.0.0/24", "fd00::/8"); "" trusts
  // none. A malformed entry is kInvalidArgument naming it.
  static Result<TrustedProxies> Parse(std::string_view list);

  bool empty() const { return v4_.empty() && v6_.empty(); }
  // Whether `address` (an IPv4-mapped IPv6 address counts as its IPv4 address) is a trusted proxy.
  bool Contains(const boost::asio::ip::address& address) const;
  bool Contains(std::string_view address) const;

  // The source address of a request that arrived from `peer`, which must be trusted (Contains):
  // the rightmost X-Forwarded-For entry that is not a trusted proxy; the leftmost entry when all
  // are; `peer` when the header is absent. An entry that is not an address (a port is allowed:
  // "192.0.2.1:5000", "[2001:db8::1]:443") ends the walk: what is left of it came through an
  // untrusted hop or is garbage, so the last address vouched for is the answer.
  std::string ClientAddress(std::string_view peer,
                            const boost::beast::http::fields& fields) const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

// One X-Forwarded-For entry as an address ("192.0.2.1", "192.0.2.1:80", "2001:db8::1",
// "[2001:db8::1]:80"; surrounding spaces and tabs allowed); false for anything else.
bool ParseForwardedAddress(std::string_view entry, boost::asio::ip::address& out);

}  // namespace kura::http
