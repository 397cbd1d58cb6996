#include "http/trusted_proxies.h"

#include <boost/asio/ip/address_v6.hpp>
#include <charconv>
#include <optional>

#include "common/text.h"

namespace kura::http {
namespace {

namespace ip = boost::asio::ip;

// An IPv4-mapped IPv6 address (a dual-stack listener's view of an IPv4 peer) as IPv4.
ip::address Unmapped(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

std::optional<ip::address> ParseAddress(std::string_view text) {
  boost::system::error_code ec;
  auto address = ip::make_address(text, ec);
  if (ec) return std::nullopt;
  return address;
}

// "ADDRESS" or "ADDRESS/PREFIX" into the list of its family.
bool AddNetwork(std::string_view entry, std::vector<ip::network_v4>& v4,
                std::vector<ip::network_v6>& v6) {
  auto slash = entry.find('/');
  auto address = ParseAddress(entry.substr(0, slash));
  if (!address) return false;
  *address = Unmapped(*address);
  unsigned prefix = address->is_v4() ? 32 : 128;
  if (slash != std::string_view::npos) {
    auto digits = entry.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) return false;
    if (prefix > (address->is_v4() ? 32U : 128U)) return false;
  }
  // The network of the address's prefix (host bits dropped: "10.0.0.7/24" is 10.0.0.0/24).
  if (address->is_v4()) {
    v4.push_back(ip::make_network_v4(address->to_v4(), prefix).canonical());
  } else {
    v6.push_back(ip::make_network_v6(address->to_v6(), prefix).canonical());
  }
  return true;
}

// ":PORT" after an address in X-Forwarded-For: one to five digits.
bool IsPortSuffix(std::string_view suffix) {
  if (suffix.size() < 2 || suffix.size() > 6 || suffix.front() != ':') return false;
  return suffix.find_first_not_of("0123456789", 1) == std::string_view::npos;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies proxies;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto entry = TrimAsciiWhitespace(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (!AddNetwork(entry, proxies.v4_, proxies.v6_)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "bad --trusted-proxies entry '" + std::string(entry) +
                           "': an IPv4 or IPv6 address, optionally /PREFIX");
    }
  }
  return proxies;
}

bool TrustedProxies::Contains(const ip::address& address) const {
  auto plain = Unmapped(address);
  if (plain.is_v4()) {
    for (const auto& network : v4_) {
      if (ip::make_network_v4(plain.to_v4(), network.prefix_length()).canonical() == network) {
        return true;
      }
    }
    return false;
  }
  for (const auto& network : v6_) {
    if (ip::make_network_v6(plain.to_v6(), network.prefix_length()).canonical() == network) {
      return true;
    }
  }
  return false;
}

bool TrustedProxies::Contains(std::string_view address) const {
  auto parsed = ParseAddress(address);
  return parsed && Contains(*parsed);
}

bool ParseForwardedAddress(std::string_view entry, ip::address& out) {
  entry = TrimAsciiWhitespace(entry);
  if (entry.starts_with('[')) {  // "[IPv6]" or "[IPv6]:port"
    auto close = entry.find(']');
    if (close == std::string_view::npos) return false;
    auto rest = entry.substr(close + 1);
    if (!rest.empty() && !IsPortSuffix(rest)) return false;
    entry = entry.substr(1, close - 1);
  } else if (auto colon = entry.find(':');
             colon != std::string_view::npos && colon == entry.rfind(':')) {
    // One colon: "IPv4:port" (an IPv6 address has at least two).
    if (!IsPortSuffix(entry.substr(colon))) return false;
    entry = entry.substr(0, colon);
    auto address = ParseAddress(entry);
    if (!address || !address->is_v4()) return false;
  }
  auto address = ParseAddress(entry);
  if (!address) return false;
  out = Unmapped(*address);
  return true;
}

std::string TrustedProxies::ClientAddress(std::string_view peer,
                                          const boost::beast::http::fields& fields) const {
  // Every X-Forwarded-For line, in order, is one list (RFC 9110 §5.3): walked from its last
  // entry back, line by line and within a line from its last comma, with nothing copied.
  auto [first, last] = fields.equal_range("X-Forwarded-For");
  std::optional<ip::address> vouched;
  for (auto line = last; line != first;) {
    std::string_view rest = (--line)->value();
    for (bool more = true; more;) {
      auto comma = rest.rfind(',');
      more = comma != std::string_view::npos;
      ip::address address;
      if (!ParseForwardedAddress(more ? rest.substr(comma + 1) : rest, address)) {
        return vouched ? vouched->to_string() : std::string(peer);
      }
      vouched = address;
      if (!Contains(address)) return address.to_string();
      if (more) rest = rest.substr(0, comma);
    }
  }
  return vouched ? vouched->to_string() : std::string(peer);
}

}  // namespace kura::http
