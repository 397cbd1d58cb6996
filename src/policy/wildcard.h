// Glob patterns as IAM uses them in Action, Resource, StringLike and ArnLike: '*' matches any run
// of characters (including none, and across '/' and ':'), '?' matches exactly one character, and
// everything else is literal. A pattern is compiled once into "units" so that matching does no
// parsing; literal '*' and '?' (from the policy variables ${*} and ${?}, or from substituted
// variable values) are representable. Thread-safety: immutable values, pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kura::policy {

// One pattern unit: a literal byte (0..255), or kAnyRun ('*'), or kAnyOne ('?').
using PatternUnit = int16_t;
inline constexpr PatternUnit kAnyRun = -1;
inline constexpr PatternUnit kAnyOne = -2;

// Appends the units of `text`, read as a glob (wildcards active), to `out`.
void AppendGlobUnits(std::string_view text, std::vector<PatternUnit>& out);
// Appends `text` as literal units only.
void AppendLiteralUnits(std::string_view text, std::vector<PatternUnit>& out);

// Whether `value` matches `units`. With fold_case, ASCII letters compare case-insensitively
// (the caller lower-cases the pattern; the value is folded on the fly).
bool GlobMatch(const PatternUnit* units, size_t unit_count, std::string_view value,
               bool fold_case = false);
inline bool GlobMatch(const std::vector<PatternUnit>& units, std::string_view value,
                      bool fold_case = false) {
  return GlobMatch(units.data(), units.size(), value, fold_case);
}

// A whole glob compiled from policy text; '*' alone is recognised so matching is O(1).
class GlobPattern {
 public:
  GlobPattern() = default;
  explicit GlobPattern(std::string_view text);
  bool Matches(std::string_view value, bool fold_case = false) const;

 private:
  std::vector<PatternUnit> units_;
  bool match_all_ = false;
};

}  // namespace kura::policy
