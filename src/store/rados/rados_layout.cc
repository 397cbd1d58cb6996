#include "store/rados/rados_layout.h"

#include <algorithm>
#include <charconv>

namespace kura::store::rados {

uint64_t StripeCount(uint64_t size) {
  return size == 0 ? 1 : (size + kStripeBytes - 1) / kStripeBytes;
}

uint64_t StripeLength(uint64_t size, uint64_t index) {
  uint64_t start = index * kStripeBytes;
  if (start >= size) return 0;
  return std::min(kStripeBytes, size - start);
}

std::string StripeName(std::string_view id, uint64_t index) {
  return std::string(id) + "." + std::to_string(index);
}

std::string EncodeStoredSize(uint64_t size) { return std::to_string(size); }

std::optional<uint64_t> ParseStoredSize(std::string_view text) {
  uint64_t size = 0;
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return size;
}

std::optional<StripeAddress> ParseStripeName(std::string_view name) {
  if (name.size() < kBlobIdHexChars + 2 || name[kBlobIdHexChars] != '.') return std::nullopt;
  std::string_view id = name.substr(0, kBlobIdHexChars);
  if (id.find_first_not_of("0123456789abcdef") != std::string_view::npos) return std::nullopt;
  std::string_view digits = name.substr(kBlobIdHexChars + 1);
  if (digits.size() > 1 && digits[0] == '0') return std::nullopt;  // one spelling per index
  StripeAddress address{.id = std::string(id), .index = 0};
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), address.index);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return address;
}

}  // namespace kura::store::rados
