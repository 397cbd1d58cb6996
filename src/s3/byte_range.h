// The byte ranges a request can ask for: GetObject's `Range: bytes=...` (RFC 9110 section 14.1.2,
// https://www.rfc-editor.org/rfc/rfc9110#section-14.1.2, as S3 applies it: one range, a list of
// several is ignored) and UploadPartCopy's `x-amz-copy-source-range: bytes=first-last`
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html).
// Positions are 1*DIGIT and nothing else (no sign, space or "0x"); a number too large for
// uint64 never wraps: it compares as the huge value it is.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/error.h"

namespace kura::s3 {

struct ByteRange {
  uint64_t first = 0;
  uint64_t length = 0;
  bool operator==(const ByteRange&) const = default;
};

// The bytes a GetObject Range header selects of an object of `size` bytes. nullopt means the
// whole object: no header, or one RFC 9110 says to ignore (another unit, several ranges, a
// malformed range-spec, last-pos before first-pos, a suffix of an empty object). kInvalidRange
// (416, with RangeRequested and ActualObjectSize) when a valid range is unsatisfiable:
// first-pos at or past the end, or a zero suffix-length. A last-pos past the end is clamped;
// a suffix-length past the size means the whole object.
Result<std::optional<ByteRange>> ParseRange(std::string_view header, uint64_t size);

// The bytes x-amz-copy-source-range selects of a source of `size` bytes (all of it when the
// header is empty). kInvalidArgument when it is not "bytes=first-last" with first <= last, or
// when last is not inside the source.
Result<ByteRange> ParseCopySourceRange(std::string_view header, uint64_t size);

}  // namespace kura::s3
