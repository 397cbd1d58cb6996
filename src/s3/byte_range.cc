#include "s3/byte_range.h"

#include <algorithm>
#include <limits>
#include <string>

namespace kura::s3 {
namespace {

constexpr std::string_view kBytesUnit = "bytes=";

// A 1*DIGIT position. `value` saturates at UINT64_MAX, so a position beyond any object is still
// beyond it; `digits` (leading zeros stripped) orders two saturated positions exactly.
struct Position {
  uint64_t value = 0;
  std::string_view digits;
};

std::optional<Position> ParsePosition(std::string_view text) {
  if (text.empty()) return std::nullopt;
  Position position;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    auto digit = static_cast<uint64_t>(c - '0');
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    position.value = position.value > (kMax - digit) / 10 ? kMax : position.value * 10 + digit;
  }
  size_t nonzero = text.find_first_not_of('0');
  position.digits = nonzero == std::string_view::npos ? "0" : text.substr(nonzero);
  return position;
}

bool Less(const Position& a, const Position& b) {
  if (a.digits.size() != b.digits.size()) return a.digits.size() < b.digits.size();
  return a.digits < b.digits;
}

Error Unsatisfiable(std::string_view header, uint64_t size) {
  Error error = MakeError(ErrorCode::kInvalidRange);
  error.details = {{"RangeRequested", std::string(header)},
                   {"ActualObjectSize", std::to_string(size)}};
  return error;
}

}  // namespace

Result<std::optional<ByteRange>> ParseRange(std::string_view header, uint64_t size) {
  constexpr std::optional<ByteRange> kWhole;
  if (!header.starts_with(kBytesUnit)) return kWhole;
  std::string_view spec = header.substr(kBytesUnit.size());
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return kWhole;  // also "bytes=": an empty range-set
  std::string_view first_text = spec.substr(0, dash);
  std::optional<Position> last = ParsePosition(spec.substr(dash + 1));
  if (first_text.empty()) {  // suffix-range: the last N bytes
    if (!last) return kWhole;
    if (last->value == 0) return Unsatisfiable(header, size);
    if (size == 0) return kWhole;  // no byte to name in a Content-Range
    uint64_t length = std::min(last->value, size);
    return std::optional(ByteRange{size - length, length});
  }
  std::optional<Position> first = ParsePosition(first_text);
  if (!first) return kWhole;
  if (spec.size() > dash + 1 && !last) return kWhole;  // "2-x", "2-3,5-6"
  if (last && Less(*last, *first)) return kWhole;
  if (first->value >= size) return Unsatisfiable(header, size);
  uint64_t end = last ? std::min(last->value, size - 1) : size - 1;
  return std::optional(ByteRange{first->value, end - first->value + 1});
}

Result<ByteRange> ParseCopySourceRange(std::string_view header, uint64_t size) {
  if (header.empty()) return ByteRange{0, size};
  auto malformed = [] {
    return MakeError(ErrorCode::kInvalidArgument,
                     "The x-amz-copy-source-range value must be of the form bytes=first-last where "
                     "first and last are the zero-based offsets of the first and last bytes to "
                     "copy");
  };
  if (!header.starts_with(kBytesUnit)) return malformed();
  std::string_view spec = header.substr(kBytesUnit.size());
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return malformed();
  std::optional<Position> first = ParsePosition(spec.substr(0, dash));
  std::optional<Position> last = ParsePosition(spec.substr(dash + 1));
  if (!first || !last || Less(*last, *first)) return malformed();
  if (last->value >= size) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "Range specified is not valid for source object of size: " + std::to_string(size));
  }
  return ByteRange{first->value, last->value - first->value + 1};
}

}  // namespace kura::s3
