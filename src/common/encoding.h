// Byte encodings used across the wire formats: hex, base64, and the percent-encoding rules of
// SigV4 ("UriEncode" in https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)
// and of form/query decoding. Plus constant-time comparison for secrets and signatures.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kura {

std::string HexLower(std::span<const uint8_t> bytes);
inline std::string HexLower(std::string_view bytes) {
  return HexLower(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}
std::optional<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::span<const uint8_t> bytes);
inline std::string Base64Encode(std::string_view bytes) {
  return Base64Encode(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}
// Strict standard-alphabet base64 with padding; nullopt on anything else.
std::optional<std::string> Base64Decode(std::string_view text);
// URL-safe alphabet, no padding (for tokens that travel in URLs).
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// SigV4 UriEncode: every byte except A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex);
// '/' is kept when encode_slash is false (S3 object paths).
std::string UriEncode(std::string_view in, bool encode_slash = true);
// Percent-decoding; '+' stays '+' unless plus_is_space (HTML forms). nullopt on a bad escape.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space = false);

// Equal iff same length and bytes; time depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Whether the bytes are well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace kura
