#include "common/form_encoding.h"

#include "common/encoding.h"

namespace kura {

UrlEncodedPairs ParseUrlEncodedPairs(std::string_view text, bool plus_is_space) {
  UrlEncodedPairs out;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    auto name = PercentDecode(piece.substr(0, eq), plus_is_space);
    auto value = PercentDecode(eq == std::string_view::npos ? "" : piece.substr(eq + 1), plus_is_space);
    if (!name || !value) {
      out.malformed = true;
      return out;
    }
    out.pairs.push_back({std::move(*name), std::move(*value)});
  }
  return out;
}

}  // namespace kura
