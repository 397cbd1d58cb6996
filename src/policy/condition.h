// The Condition element, compiled: every operator of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// with its IfExists form (not for Null) and the ForAllValues:/ForAnyValue: set qualifiers
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
//
// Semantics implemented (per those pages):
// - Several values for one key are OR'd; several keys and several operators are AND'd.
// - A negated operator (StringNotEquals, NumericNotEquals, DateNotEquals, NotIpAddress,
//   ArnNotEquals, ArnNotLike, StringNotLike, StringNotEqualsIgnoreCase) is the negation of its
//   positive form: true when the request value matches none of the policy values, and true when
//   the key is absent.
// - A positive operator on an absent key is false; …IfExists on an absent key is true.
// - ForAnyValue: true if some request value satisfies the operator; false on an absent/empty key.
//   ForAllValues: true if every request value satisfies it; true on an absent/empty key.
// - Null: "true" matches an absent key, "false" a present one.
// - Policy variables are substituted in String* and Arn* values (Version 2012-10-17 only); an
//   unresolvable variable makes that one policy value match nothing.
// Condition keys and operator names: keys are case-insensitive, operator names are not.
// Thread-safety: immutable after parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "policy/condition_values.h"
#include "policy/request_context.h"
#include "policy/value_template.h"

namespace kura::policy {

enum class ConditionBase {
  kStringEquals,
  kStringEqualsIgnoreCase,
  kStringLike,
  kNumericEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kBinaryEquals,
  kIpAddress,
  kArnLike,
  kNull,
};

enum class SetQualifier { kNone, kForAllValues, kForAnyValue };

struct ConditionOperator {
  ConditionBase base = ConditionBase::kStringEquals;
  bool negated = false;
  bool if_exists = false;
  SetQualifier qualifier = SetQualifier::kNone;
};

// Parses an operator name such as "ForAnyValue:StringNotLikeIfExists"; nullopt if unknown.
std::optional<ConditionOperator> ParseConditionOperator(std::string_view name);

// One policy value, pre-parsed for its operator's type.
struct ConditionValue {
  ValueTemplate text;              // String*, Arn* (and the raw text for every other type)
  std::optional<double> number;    // Numeric*
  std::optional<int64_t> date_ms;  // Date*
  std::optional<IpBlock> ip;       // IpAddress
  std::optional<bool> flag;        // Bool, Null
  std::string binary;              // BinaryEquals: the decoded bytes
};

// One "operator: {key: values}" pair.
class ConditionClause {
 public:
  ConditionClause(ConditionOperator op, std::string_view key, std::vector<std::string> values,
                  bool substitute_variables);
  bool Matches(const RequestContext& context) const;
  const std::string& key() const { return key_; }
  const ConditionOperator& op() const { return op_; }
  const std::vector<ConditionValue>& values() const { return values_; }

 private:
  // Policy values with their variables substituted for this request.
  struct Resolved {
    std::vector<std::string> strings;
    std::vector<std::vector<PatternUnit>> units;  // StringLike
    std::vector<char> ok;                         // 0: unresolvable, matches nothing
  };
  void Resolve(const RequestContext& context, Resolved& out) const;
  // Whether the request value matches any policy value (the positive form of the operator).
  bool AnyValueMatches(std::string_view request_value, const Resolved* resolved) const;
  bool Compare(size_t index, std::string_view request_value, const Resolved* resolved) const;

  ConditionOperator op_;
  std::string key_;  // lower-cased
  std::vector<ConditionValue> values_;
  bool uses_templates_ = false;  // String*/Arn* with variables
};

}  // namespace kura::policy
