#include "policy/condition.h"

#include <array>
#include <utility>

#include "common/encoding.h"
#include "common/text.h"
#include "policy/arn.h"

namespace kura::policy {
namespace {

struct OperatorName {
  std::string_view name;
  ConditionBase base;
  bool negated;
};

constexpr std::array<OperatorName, 27> kOperators = {{
    {"StringEquals", ConditionBase::kStringEquals, false},
    {"StringNotEquals", ConditionBase::kStringEquals, true},
    {"StringEqualsIgnoreCase", ConditionBase::kStringEqualsIgnoreCase, false},
    {"StringNotEqualsIgnoreCase", ConditionBase::kStringEqualsIgnoreCase, true},
    {"StringLike", ConditionBase::kStringLike, false},
    {"StringNotLike", ConditionBase::kStringLike, true},
    {"NumericEquals", ConditionBase::kNumericEquals, false},
    {"NumericNotEquals", ConditionBase::kNumericEquals, true},
    {"NumericLessThan", ConditionBase::kNumericLessThan, false},
    {"NumericLessThanEquals", ConditionBase::kNumericLessThanEquals, false},
    {"NumericGreaterThan", ConditionBase::kNumericGreaterThan, false},
    {"NumericGreaterThanEquals", ConditionBase::kNumericGreaterThanEquals, false},
    {"DateEquals", ConditionBase::kDateEquals, false},
    {"DateNotEquals", ConditionBase::kDateEquals, true},
    {"DateLessThan", ConditionBase::kDateLessThan, false},
    {"DateLessThanEquals", ConditionBase::kDateLessThanEquals, false},
    {"DateGreaterThan", ConditionBase::kDateGreaterThan, false},
    {"DateGreaterThanEquals", ConditionBase::kDateGreaterThanEquals, false},
    {"Bool", ConditionBase::kBool, false},
    {"BinaryEquals", ConditionBase::kBinaryEquals, false},
    {"IpAddress", ConditionBase::kIpAddress, false},
    {"NotIpAddress", ConditionBase::kIpAddress, true},
    {"ArnEquals", ConditionBase::kArnLike, false},
    {"ArnLike", ConditionBase::kArnLike, false},
    {"ArnNotEquals", ConditionBase::kArnLike, true},
    {"ArnNotLike", ConditionBase::kArnLike, true},
    {"Null", ConditionBase::kNull, false},
}};

bool IsStringBase(ConditionBase b) {
  return b == ConditionBase::kStringEquals || b == ConditionBase::kStringEqualsIgnoreCase ||
         b == ConditionBase::kStringLike || b == ConditionBase::kArnLike;
}

bool IsDateBase(ConditionBase b) {
  return b >= ConditionBase::kDateEquals && b <= ConditionBase::kDateGreaterThanEquals;
}

bool IsNumericBase(ConditionBase b) {
  return b >= ConditionBase::kNumericEquals && b <= ConditionBase::kNumericGreaterThanEquals;
}

// The ordering comparisons shared by Numeric* and Date*, on the request value `r` against the
// policy value `p` ("NumericLessThan" means request < policy).
template <typename T>
bool Ordered(ConditionBase b, T r, T p) {
  switch (b) {
    case ConditionBase::kNumericEquals:
    case ConditionBase::kDateEquals:
      return r == p;
    case ConditionBase::kNumericLessThan:
    case ConditionBase::kDateLessThan:
      return r < p;
    case ConditionBase::kNumericLessThanEquals:
    case ConditionBase::kDateLessThanEquals:
      return r <= p;
    case ConditionBase::kNumericGreaterThan:
    case ConditionBase::kDateGreaterThan:
      return r > p;
    case ConditionBase::kNumericGreaterThanEquals:
    case ConditionBase::kDateGreaterThanEquals:
      return r >= p;
    default:
      return false;
  }
}

ConditionValue MakeValue(ConditionBase base, const std::string& raw, bool substitute) {
  ConditionValue v;
  bool glob = base == ConditionBase::kStringLike || base == ConditionBase::kArnLike;
  v.text = ValueTemplate(raw, substitute && IsStringBase(base), glob);
  if (IsNumericBase(base)) v.number = ParseNumber(raw);
  if (IsDateBase(base)) v.date_ms = ParseDateMillis(raw);
  if (base == ConditionBase::kIpAddress) v.ip = ParseIpBlock(raw);
  if (base == ConditionBase::kBool || base == ConditionBase::kNull) {
    if (EqualsIgnoreAsciiCase(raw, "true")) v.flag = true;
    if (EqualsIgnoreAsciiCase(raw, "false")) v.flag = false;
  }
  if (base == ConditionBase::kBinaryEquals) v.binary = Base64Decode(raw).value_or(raw);
  return v;
}

}  // namespace

std::optional<ConditionOperator> ParseConditionOperator(std::string_view name) {
  ConditionOperator op;
  if (name.starts_with("ForAllValues:")) {
    op.qualifier = SetQualifier::kForAllValues;
    name.remove_prefix(13);
  } else if (name.starts_with("ForAnyValue:")) {
    op.qualifier = SetQualifier::kForAnyValue;
    name.remove_prefix(12);
  }
  if (name.ends_with("IfExists")) {
    op.if_exists = true;
    name.remove_suffix(8);
  }
  for (const OperatorName& entry : kOperators) {
    if (entry.name != name) continue;
    if (entry.base == ConditionBase::kNull &&
        (op.if_exists || op.qualifier != SetQualifier::kNone)) {
      return std::nullopt;
    }
    op.base = entry.base;
    op.negated = entry.negated;
    return op;
  }
  return std::nullopt;
}

ConditionClause::ConditionClause(ConditionOperator op, std::string_view key,
                                 std::vector<std::string> values, bool substitute_variables)
    : op_(op), key_(AsciiLower(key)) {
  for (const std::string& raw : values) {
    values_.push_back(MakeValue(op.base, raw, substitute_variables));
    uses_templates_ = uses_templates_ || values_.back().text.has_variables();
  }
}

void ConditionClause::Resolve(const RequestContext& context, Resolved& out) const {
  size_t n = values_.size();
  out.strings.resize(n);
  out.ok.assign(n, 0);
  if (op_.base == ConditionBase::kStringLike) out.units.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const ValueTemplate& t = values_[i].text;
    bool ok = op_.base == ConditionBase::kStringLike ? t.ResolveUnits(context, out.units[i])
                                                     : t.ResolveString(context, out.strings[i]);
    out.ok[i] = ok ? 1 : 0;
  }
}

bool ConditionClause::Compare(size_t index, std::string_view r, const Resolved* resolved) const {
  const ConditionValue& p = values_[index];
  if (resolved != nullptr && !resolved->ok[index]) return false;
  std::string_view text = resolved != nullptr ? std::string_view(resolved->strings[index])
                                              : std::string_view(p.text.literal());
  switch (op_.base) {
    case ConditionBase::kStringEquals:
      return r == text;
    case ConditionBase::kStringEqualsIgnoreCase:
      return EqualsIgnoreAsciiCase(r, text);
    case ConditionBase::kStringLike:
      return GlobMatch(resolved != nullptr ? resolved->units[index] : p.text.units(), r);
    case ConditionBase::kArnLike:
      return ArnLike(text, r);
    case ConditionBase::kBool:
      return p.flag.has_value() && EqualsIgnoreAsciiCase(r, *p.flag ? "true" : "false");
    case ConditionBase::kBinaryEquals:
      return Base64Decode(r).value_or(std::string(r)) == p.binary;
    case ConditionBase::kIpAddress:
      return p.ip.has_value() && IpInBlock(*p.ip, r);
    case ConditionBase::kNull:
      return false;  // handled in Matches
    default:
      break;
  }
  if (IsNumericBase(op_.base)) {
    std::optional<double> n = ParseNumber(r);
    return n && p.number && Ordered(op_.base, *n, *p.number);
  }
  std::optional<int64_t> d = ParseDateMillis(r);
  return d && p.date_ms && Ordered(op_.base, *d, *p.date_ms);
}

bool ConditionClause::AnyValueMatches(std::string_view request_value,
                                      const Resolved* resolved) const {
  for (size_t i = 0; i < values_.size(); ++i) {
    if (Compare(i, request_value, resolved)) return true;
  }
  return false;
}

bool ConditionClause::Matches(const RequestContext& context) const {
  const std::vector<std::string>* request_values = context.GetLowered(key_);
  if (op_.base == ConditionBase::kNull) {
    bool absent = request_values == nullptr;
    for (const ConditionValue& v : values_) {
      if (v.flag.has_value() && *v.flag == absent) return true;
    }
    return false;
  }
  if (request_values == nullptr) {
    if (op_.if_exists || op_.qualifier == SetQualifier::kForAllValues) return true;
    if (op_.qualifier == SetQualifier::kForAnyValue) return false;
    return op_.negated;
  }
  Resolved resolved;
  const Resolved* r = nullptr;
  if (uses_templates_) {
    Resolve(context, resolved);
    r = &resolved;
  }
  auto satisfies = [&](const std::string& v) { return AnyValueMatches(v, r) != op_.negated; };
  switch (op_.qualifier) {
    case SetQualifier::kForAllValues:
      for (const std::string& v : *request_values) {
        if (!satisfies(v)) return false;
      }
      return true;
    case SetQualifier::kForAnyValue:
      for (const std::string& v : *request_values) {
        if (satisfies(v)) return true;
      }
      return false;
    case SetQualifier::kNone:
      break;
  }
  bool any = false;
  for (const std::string& v : *request_values) any = any || AnyValueMatches(v, r);
  return any != op_.negated;
}

}  // namespace kura::policy
