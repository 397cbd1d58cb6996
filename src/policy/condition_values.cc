#include "policy/condition_values.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "common/time_format.h"

namespace kura::policy {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int64_t ToMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// A trailing "+hh:mm" / "-hh:mm" offset after the time, in minutes east of UTC.
std::optional<int> TrailingOffsetMinutes(std::string_view& text) {
  if (text.size() < 6 + 19) return std::nullopt;
  std::string_view tail = text.substr(text.size() - 6);
  if ((tail[0] != '+' && tail[0] != '-') || tail[3] != ':') return std::nullopt;
  if (!AllDigits(tail.substr(1, 2)) || !AllDigits(tail.substr(4, 2))) return std::nullopt;
  int minutes =
      ((tail[1] - '0') * 10 + (tail[2] - '0')) * 60 + (tail[4] - '0') * 10 + (tail[5] - '0');
  text.remove_suffix(6);
  return tail[0] == '+' ? minutes : -minutes;
}

std::optional<IpBlock> ParseAddress(std::string_view text) {
  std::string copy(text);
  IpBlock block;
  if (inet_pton(AF_INET, copy.c_str(), block.bytes.data()) == 1) {
    block.prefix_bits = 32;
    return block;
  }
  if (inet_pton(AF_INET6, copy.c_str(), block.bytes.data()) == 1) {
    block.v6 = true;
    block.prefix_bits = 128;
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMapped, kMapped + 12, block.bytes.begin())) {  // ::ffff:a.b.c.d
      std::copy(block.bytes.begin() + 12, block.bytes.end(), block.bytes.begin());
      std::fill(block.bytes.begin() + 4, block.bytes.end(), 0);
      block.v6 = false;
      block.prefix_bits = 32;
    }
    return block;
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> ParseDateMillis(std::string_view text) {
  if (AllDigits(text) && text.size() <= 12) {
    int64_t seconds = 0;
    std::from_chars(text.data(), text.data() + text.size(), seconds);
    return seconds * 1000;
  }
  if (text.size() < 10) return std::nullopt;
  std::optional<int> offset = TrailingOffsetMinutes(text);
  std::string normalized(text);
  if (normalized.size() > 10 && normalized.back() != 'Z') normalized.push_back('Z');
  std::optional<TimePoint> t = ParseIso8601(normalized);
  if (!t) return std::nullopt;
  return ToMillis(*t) - int64_t{offset.value_or(0)} * 60 * 1000;
}

std::optional<IpBlock> ParseIpBlock(std::string_view text) {
  size_t slash = text.find('/');
  std::optional<IpBlock> block = ParseAddress(text.substr(0, slash));
  if (!block || slash == std::string_view::npos) return block;
  std::string_view bits = text.substr(slash + 1);
  if (!AllDigits(bits) || bits.size() > 3) return std::nullopt;
  int prefix = 0;
  std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  bool was_mapped = !block->v6 && text.find(':') != std::string_view::npos;
  if (was_mapped) prefix -= 96;
  if (prefix < 0 || prefix > (block->v6 ? 128 : 32)) return std::nullopt;
  block->prefix_bits = prefix;
  return block;
}

bool IpInBlock(const IpBlock& block, std::string_view ip) {
  std::optional<IpBlock> addr = ParseAddress(ip);
  if (!addr || addr->v6 != block.v6) return false;
  int full_bytes = block.prefix_bits / 8;
  for (int i = 0; i < full_bytes; ++i) {
    if (addr->bytes[i] != block.bytes[i]) return false;
  }
  int rest = block.prefix_bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (addr->bytes[full_bytes] & mask) == (block.bytes[full_bytes] & mask);
}

}  // namespace kura::policy
