#include "policy/wildcard.h"

#include "common/text.h"

namespace kura::policy {

void AppendGlobUnits(std::string_view text, std::vector<PatternUnit>& out) {
  for (char c : text) {
    if (c == '*') {
      out.push_back(kAnyRun);
    } else if (c == '?') {
      out.push_back(kAnyOne);
    } else {
      out.push_back(static_cast<PatternUnit>(static_cast<unsigned char>(c)));
    }
  }
}

void AppendLiteralUnits(std::string_view text, std::vector<PatternUnit>& out) {
  for (char c : text) out.push_back(static_cast<PatternUnit>(static_cast<unsigned char>(c)));
}

// Iterative matching with single-star backtracking: on a mismatch, the most recent '*' absorbs
// one more character. Linear for patterns with one star, O(n*m) worst case, no recursion.
bool GlobMatch(const PatternUnit* units, size_t unit_count, std::string_view value,
               bool fold_case) {
  size_t p = 0;
  size_t v = 0;
  size_t star_p = SIZE_MAX;
  size_t star_v = 0;
  while (v < value.size()) {
    if (p < unit_count && units[p] == kAnyRun) {
      star_p = p++;
      star_v = v;
      continue;
    }
    if (p < unit_count) {
      PatternUnit u = units[p];
      char c = fold_case ? AsciiLower(value[v]) : value[v];
      if (u == kAnyOne || u == static_cast<PatternUnit>(static_cast<unsigned char>(c))) {
        ++p;
        ++v;
        continue;
      }
    }
    if (star_p == SIZE_MAX) return false;
    p = star_p + 1;
    v = ++star_v;
  }
  while (p < unit_count && units[p] == kAnyRun) ++p;
  return p == unit_count;
}

GlobPattern::GlobPattern(std::string_view text) : match_all_(text == "*") {
  AppendGlobUnits(text, units_);
}

bool GlobPattern::Matches(std::string_view value, bool fold_case) const {
  return match_all_ || GlobMatch(units_, value, fold_case);
}

}  // namespace kura::policy
