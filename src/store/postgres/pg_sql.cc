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

std::string RecordKeyUses(int rows) {
  std::string out =
      "INSERT INTO key_last_used (access_key_id, used_at_ms, service, region) VALUES ";
  for (int row = 0; row < rows; ++row) {
    if (row > 0) out += ", ";
    out += "(" + Placeholders(4 * row + 1, 4 * row + 4) + ")";
  }
  return out +
         " ON CONFLICT (access_key_id) DO UPDATE SET used_at_ms = EXCLUDED.used_at_ms, "
         "service = EXCLUDED.service, region = EXCLUDED.region "
         "WHERE EXCLUDED.used_at_ms > key_last_used.used_at_ms";
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
