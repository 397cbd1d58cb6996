// Typed values for the non-string condition operators: numbers, dates (ISO 8601 or epoch seconds,
// as
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
// allows), and IPv4/IPv6 CIDR blocks (IpAddress/NotIpAddress, RFC 4632 and RFC 4291 notation).
// Thread-safety: pure functions and immutable values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kura::policy {

std::optional<double> ParseNumber(std::string_view text);

// Milliseconds since the Unix epoch. Accepts "2020-01-01", "2020-01-01T00:00:00Z",
// fractional seconds, a "+hh:mm"/"-hh:mm" offset or no zone (UTC), and plain epoch seconds.
std::optional<int64_t> ParseDateMillis(std::string_view text);

struct IpBlock {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first 4 bytes
  int prefix_bits = 0;
};

// "203.0.113.0/24", "2001:db8::/32", or a bare address (a /32 or /128 block).
std::optional<IpBlock> ParseIpBlock(std::string_view text);
// Whether the address `ip` (IPv4, IPv6, or IPv4-mapped IPv6) lies in `block`.
bool IpInBlock(const IpBlock& block, std::string_view ip);

}  // namespace kura::policy
