#include "http/response_head.h"

#include <charconv>

namespace kura::http {
namespace {

constexpr std::string_view kLineBreakers{"\r\n\0", 3};

void AppendFieldText(std::string& out, std::string_view text) {
  size_t start = out.size();
  out.append(text);
  if (text.find_first_of(kLineBreakers) == std::string_view::npos) return;
  for (size_t i = start; i < out.size(); ++i) {
    if (kLineBreakers.find(out[i]) != std::string_view::npos) out[i] = ' ';
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
