// ASCII text helpers shared by the wire-format parsers: case folding, case-insensitive comparison
// and whitespace trimming. Everything is byte-wise and ASCII-only on purpose — HTTP field names,
// SigV4 header names, IAM condition keys and S3 form field names are case-insensitive only in
// ASCII (RFC 9110 §5.1), and folding must not depend on the process locale.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace kura {

// 'A'..'Z' become 'a'..'z'; every other byte (including non-ASCII) is unchanged.
inline char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
// A copy of `s` with AsciiLower applied to every byte.
std::string AsciiLower(std::string_view s);

// Whether `a` and `b` have the same length and are equal after ASCII case folding. Inline: header
// lookups call it dozens of times a request, and most calls end at the length.
inline bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}
// Whether `s` begins with `prefix`, ASCII case folded (an empty prefix always matches).
bool StartsWithIgnoreAsciiCase(std::string_view s, std::string_view prefix);

// `s` without leading and trailing SP and HTAB: RFC 9110 §5.6.3 optional whitespace (OWS).
// CR, LF and other control bytes are kept.
std::string_view TrimAsciiWhitespace(std::string_view s);
// Like TrimAsciiWhitespace, but CR is also removed from the end (not the start): for a line read
// with std::getline from a file that may have CRLF line endings.
std::string_view TrimLineWhitespace(std::string_view s);

}  // namespace kura
