// The Range and x-amz-copy-source-range parsers: input is "<object size in decimal>\n<header>".
// Whatever the header, a range returned must lie inside the object (never wrap past its end),
// and refusals must be the documented errors (InvalidRange for Range, InvalidArgument for the
// copy-source range).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "s3/byte_range.h"

namespace {

using kura::ErrorCode;

uint64_t SizeOf(std::string_view text) {
  uint64_t size = 0;
  for (char c : text.substr(0, 12)) {
    if (c < '0' || c > '9') break;
    size = size * 10 + static_cast<uint64_t>(c - '0');
  }
  return size;
}

void ExpectInside(const kura::s3::ByteRange& range, uint64_t size) {
  if (range.length == 0 || range.first >= size || range.length > size - range.first) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t length) {
  std::string_view input(reinterpret_cast<const char*>(data), length);
  size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  uint64_t size = SizeOf(input.substr(0, newline));
  std::string_view header = input.substr(newline + 1);

  auto range = kura::s3::ParseRange(header, size);
  if (!range && range.error().code != ErrorCode::kInvalidRange) std::abort();
  if (range && *range) ExpectInside(**range, size);

  auto copy = kura::s3::ParseCopySourceRange(header, size);
  if (!copy && copy.error().code != ErrorCode::kInvalidArgument) std::abort();
  if (copy && !header.empty()) ExpectInside(*copy, size);
  return 0;
}
