#include "http/response_head.h"

#include <algorithm>
#include <charconv>

namespace kura::http {
namespace {

bool BreaksLine(char c) { return c == '\r' || c == '\n' || c == '\0'; }

// A field's text with CR, LF and NUL made spaces: no value can end the head or add a field.
// (A plain loop: std::string_view::find_first_of calls memchr once per character.)
void AppendFieldText(std::string& out, std::string_view text) {
  size_t start = out.size();
  out.append(text);
  if (std::none_of(text.begin(), text.end(), BreaksLine)) return;
  for (size_t i = start; i < out.size(); ++i) {
    if (BreaksLine(out[i])) out[i] = ' ';
  }
}

}  // namespace

std::string SerializeResponseHead(const ResponseHead& head, std::optional<uint64_t> content_length,
                                  bool keep_alive) {
  std::string out;
  out.reserve(256);
  char number[24];
  auto status = std::to_chars(number, number + sizeof number, static_cast<unsigned>(head.status));
  out.append("HTTP/1.1 ").append(number, status.ptr).append(" ");
  out.append(bhttp::obsolete_reason(head.status)).append("\r\n");
  for (const auto& field : head.fields) {
    if (field.name() == bhttp::field::content_length || field.name() == bhttp::field::connection) continue;
    AppendFieldText(out, field.name_string());
    out.append(": ");
    AppendFieldText(out, field.value());
    out.append("\r\n");
  }
  if (content_length) {
    auto length = std::to_chars(number, number + sizeof number, *content_length);
    out.append("Content-Length: ").append(number, length.ptr).append("\r\n");
  }
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
  return out;
}

}  // namespace kura::http
