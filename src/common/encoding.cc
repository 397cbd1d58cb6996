#include "common/encoding.h"


#include <array>
#include <cstdint>
#include <cstring>

namespace kura {
namespace {
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::array<int8_t, 256> MakeBase64Table(char c62, char c63) {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 62; ++i) t[static_cast<uint8_t>(kBase64Alphabet[i])] = static_cast<int8_t>(i);
  t[static_cast<uint8_t>(c62)] = 62;
  t[static_cast<uint8_t>(c63)] = 63;
  return t;
}
constexpr auto kStdTable = MakeBase64Table('+', '/');
constexpr auto kUrlTable = MakeBase64Table('-', '_');

std::optional<std::string> DecodeBase64Groups(std::string_view text,
                                              const std::array<int8_t, 256>& table) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = table[static_cast<uint8_t>(c)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero padding bits (canonical encoding).
  if (bits >= 6 || (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}
}  // namespace

std::string HexLower(std::span<const uint8_t> bytes) {
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kHexDigits[bytes[i] & 0xf];
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(hex[2 * i]);
    int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string Base64Encode(std::span<const uint8_t> bytes) {
  // Sized once and written through a pointer: push_back's capacity check per character made
  // this 13 instructions a byte, and every session token is encoded with it.
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  char* o = out.data();
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    *o++ = kBase64Alphabet[(v >> 18) & 63];
    *o++ = kBase64Alphabet[(v >> 12) & 63];
    *o++ = kBase64Alphabet[(v >> 6) & 63];
    *o++ = kBase64Alphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {  // one or two bytes left: two or three characters, the rest stays '='
    uint32_t v = (bytes[i] << 16) | (rest == 2 ? bytes[i + 1] << 8 : 0);
    *o++ = kBase64Alphabet[(v >> 18) & 63];
    *o++ = kBase64Alphabet[(v >> 12) & 63];
    if (rest == 2) *o = kBase64Alphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  return DecodeBase64Groups(text.substr(0, text.size() - pad), kStdTable);
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out = Base64Encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (auto& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  return DecodeBase64Groups(text, kUrlTable);
}

// Both below write through a pointer into a buffer sized for the worst case and trim it once:
// a push_back per character (its capacity check, not inlined) was 4 % of a presigned GET, which
// decodes and re-encodes every query parameter.
std::string UriEncode(std::string_view in, bool encode_slash) {
  static constexpr char kUpperHex[] = "0123456789ABCDEF";
  std::string out(in.size() * 3, '\0');
  char* o = out.data();
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (c == '/' && !encode_slash)) {
      *o++ = static_cast<char>(c);
    } else {
      *o++ = '%';
      *o++ = kUpperHex[c >> 4];
      *o++ = kUpperHex[c & 0xf];
    }
  }
  out.resize(static_cast<size_t>(o - out.data()));
  return out;
}

std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out(in.size(), '\0');
  char* o = out.data();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      *o++ = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      *o++ = ' ';
    } else {
      *o++ = c;
    }
  }
  out.resize(static_cast<size_t>(o - out.data()));
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Eight bytes per step (CRYPTO_memcmp takes one): a session token is ~1 KB and is compared on
  // every request that presents it. The differences are OR-ed together, never branched on; the
  // empty asm makes the accumulator opaque, so the compiler cannot stop at the first difference.
  uint64_t diff = 0;
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x = 0, y = 0;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    diff |= x ^ y;
    __asm__("" : "+r"(diff));
  }
  for (; i < a.size(); ++i) {
    diff |= static_cast<uint8_t>(a[i] ^ b[i]);
    __asm__("" : "+r"(diff));
  }
  return diff == 0;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

}  // namespace kura
