#include "sigv4/request_view.h"

#include "common/text.h"

namespace kura::sigv4 {
std::string_view RequestView::Header(std::string_view lower_name) const {
  for (const HeaderField& field : headers) {
    if (EqualsIgnoreAsciiCase(field.name, lower_name)) return field.value;
  }
  return {};
}

bool RequestView::HasHeader(std::string_view lower_name) const {
  for (const HeaderField& field : headers) {
    if (EqualsIgnoreAsciiCase(field.name, lower_name)) return true;
  }
  return false;
}

std::string_view RequestView::Path() const { return target.substr(0, target.find('?')); }

std::string_view RequestView::Query() const {
  size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

}  // namespace kura::sigv4
