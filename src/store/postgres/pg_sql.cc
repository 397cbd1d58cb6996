#include "store/postgres/pg_sql.h"

#include <string_view>

namespace kura::store::postgres::sql {

std::string Placeholders(int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i) {
    if (i > first) out += ", ";
    out += "$" + std::to_string(i);
  }
  return out;
}

std::string TakeExcluded(const char* columns, int skip) {
  std::string out;
  std::string_view rest = columns;
  for (int index = 0; !rest.empty(); ++index) {
    size_t comma = rest.find(',');
    std::string_view column = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (column.starts_with(' ')) column.remove_prefix(1);
    while (column.ends_with(' ')) column.remove_suffix(1);
    if (index < skip) continue;
    if (!out.empty()) out += ", ";
    out += std::string(column) + " = EXCLUDED." + std::string(column);
  }
  return out;
}

}  // namespace kura::store::postgres::sql
