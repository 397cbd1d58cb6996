// A policy string that may hold policy variables, compiled once: "${aws:username}",
// "${aws:PrincipalTag/team, 'default'}", "${s3:prefix}", any context key
// ("${www.amazon.com:user_id}"), and the special characters ${*} ${?} ${$}, which stand for a
// literal '*', '?' and '$'. Spec:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html Variables are
// substituted only in Version 2012-10-17 policies; in 2008-10-17 (or unversioned) policies the text
// is taken as written. A variable whose key is absent from the request (or has several values) and
// has no default is unresolvable: the caller then treats the Resource or condition value as not
// matching. Substituted values are always literal, even in a glob context: a user named "a*" does
// not turn a Resource into a wildcard. Thread-safety: immutable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/request_context.h"
#include "policy/wildcard.h"

namespace kura::policy {

class ValueTemplate {
 public:
  ValueTemplate() = default;
  // `glob`: the literal text is a wildcard pattern (Resource, StringLike, ArnLike).
  ValueTemplate(std::string_view text, bool substitute_variables, bool glob);

  bool has_variables() const { return has_variables_; }
  // The text as written (for messages and for literal compares when there are no variables).
  const std::string& text() const { return text_; }
  // The text with ${*} ${?} ${$} replaced, when there are no variables.
  const std::string& literal() const { return literal_; }
  // Pre-built units when there are no variables (glob or literal as constructed).
  const std::vector<PatternUnit>& units() const { return units_; }

  // Appends the resolved units to `out`; false if a variable cannot be resolved.
  bool ResolveUnits(const RequestContext& context, std::vector<PatternUnit>& out) const;
  // Appends the resolved text to `out` (special characters as their literal char); false if a
  // variable cannot be resolved.
  bool ResolveString(const RequestContext& context, std::string& out) const;

 private:
  enum class PieceKind { kText, kLiteralChar, kVariable };
  struct Piece {
    PieceKind kind;
    std::string text;  // kText: the text; kLiteralChar: one char; kVariable: lowered key
    bool has_default = false;
    std::string default_value;  // kVariable with a default
  };
  const std::string* Lookup(const Piece& piece, const RequestContext& context) const;

  std::string text_;
  std::string literal_;
  std::vector<Piece> pieces_;
  std::vector<PatternUnit> units_;
  bool glob_ = false;
  bool has_variables_ = false;
};

}  // namespace kura::policy
