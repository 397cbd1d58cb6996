#include "sigv4/request_view.h"

namespace kura::sigv4 {
namespace {
char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

std::string_view RequestView::Header(std::string_view lower_name) const {
  for (const HeaderField& field : headers) {
    if (EqualsIgnoreCase(field.name, lower_name)) return field.value;
  }
  return {};
}

bool RequestView::HasHeader(std::string_view lower_name) const {
  for (const HeaderField& field : headers) {
    if (EqualsIgnoreCase(field.name, lower_name)) return true;
  }
  return false;
}

std::string_view RequestView::Path() const { return target.substr(0, target.find('?')); }

std::string_view RequestView::Query() const {
  size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

}  // namespace kura::sigv4
