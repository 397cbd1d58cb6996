#include "http/response_head.h"

#include <charconv>

namespace kura::http {

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
    out.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
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
