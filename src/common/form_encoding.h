// Splitting and decoding "a=b&c=d" strings: URL query strings (RFC 3986 §3.4, as SigV4 and S3
// read them) and application/x-www-form-urlencoded bodies
// (https://url.spec.whatwg.org/#urlencoded-parsing). One decoder; each caller builds its own
// container, picks its duplicate policy and maps a malformed escape to its own error.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kura {

// One name=value pair, percent-decoded. "a" and "a=" both give value "".
struct UrlEncodedPair {
  std::string name;
  std::string value;
};

struct UrlEncodedPairs {
  std::vector<UrlEncodedPair> pairs;  // in order of appearance, duplicates kept
  bool malformed = false;             // a piece had a malformed percent escape
};

// Splits `text` on '&' (empty pieces skipped) and each piece at its first '='; names and values
// are percent-decoded, '+' becoming ' ' only when plus_is_space (forms; not SigV4 queries).
// Decoding stops at the first piece with a malformed escape: `pairs` then holds the pieces
// before it and `malformed` is set, so a caller that validates pairs in order reports an
// earlier problem first, as it would when decoding piece by piece.
UrlEncodedPairs ParseUrlEncodedPairs(std::string_view text, bool plus_is_space);

}  // namespace kura
