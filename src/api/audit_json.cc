#include "api/audit_json.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace kura::api {
namespace {
constexpr char kHex[] = "0123456789abcdef";

// Bytes written as they are: printable ASCII but the quote and the backslash. A table, since
// every byte of every record passes through here.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x7f; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

bool Plain(unsigned char c) { return kPlain[c]; }

// Whether none of the 8 bytes at `p` needs escaping, tested together (SWAR): every record is
// mostly plain ASCII, and a byte at a time cost 4-5 instructions per byte of the record.
bool EightPlain(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  auto has_zero_byte = [](uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
  bool control = ((w - 0x20 * kOnes) & ~w & kHighs) != 0;  // a byte below 0x20
  return !control && (w & kHighs) == 0 && !has_zero_byte(w ^ (0x7f * kOnes)) &&
         !has_zero_byte(w ^ ('"' * kOnes)) && !has_zero_byte(w ^ ('\\' * kOnes));
}

// The length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates, at
// most U+10FFFF), or 0 when it is not one.
size_t Utf8Length(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](size_t k) { return i + k < s.size() && (at(k) & 0xC0) == 0x80; };
  unsigned char c = at(0);
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && at(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && at(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && at(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && at(1) >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;
}
}  // namespace

namespace {
// `value` escaped, without the quotes around it.
void AppendEscaped(std::string& out, std::string_view value) {
  size_t i = 0;
  while (i < value.size()) {
    size_t start = i;  // a run that needs no escaping goes in with one append
    while (i + 8 <= value.size() && EightPlain(value.data() + i)) i += 8;
    while (i < value.size() && Plain(static_cast<unsigned char>(value[i]))) ++i;
    out.append(value.substr(start, i - start));
    if (i == value.size()) break;
    auto c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
    } else if (size_t n = Utf8Length(value, i); n > 0) {
      out.append(value.substr(i, n));
      i += n;
    } else {
      out += "\\ufffd";
      ++i;
    }
  }
}
}  // namespace

void AppendJsonString(std::string& out, std::string_view value) {
  out += '"';
  AppendEscaped(out, value);
  out += '"';
}

void JsonWriter::BeginObject() {
  out_ += '{';
  first_ = true;
}

void JsonWriter::BeginObject(std::string_view name) {
  Name(name);
  BeginObject();
}

void JsonWriter::EndObject() {
  out_ += '}';
  first_ = false;  // the object just closed is a member of the one around it
}

void JsonWriter::Name(std::string_view name) {
  out_.append(first_ ? "\"" : ",\"");
  first_ = false;
  AppendEscaped(out_, name);
  out_.append("\":");
}

void JsonWriter::String(std::string_view name, std::string_view value) {
  Name(name);
  AppendJsonString(out_, value);
}

void JsonWriter::Number(std::string_view name, uint64_t value) {
  Name(name);
  out_ += std::to_string(value);
}

void JsonWriter::Bool(std::string_view name, bool value) {
  Name(name);
  out_ += value ? "true" : "false";
}

void JsonWriter::Null(std::string_view name) {
  Name(name);
  out_ += "null";
}

void JsonWriter::Raw(std::string_view name, std::string_view json) {
  Name(name);
  out_.append(json);
}

}  // namespace kura::api
