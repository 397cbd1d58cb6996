#include "policy/evaluator.h"

#include <array>

#include "policy/arn.h"

namespace kura::policy {
namespace {

constexpr PatternUnit kColon = ':';

// Matches units against an ARN value component by component when the pattern has six
// components, else as one glob.
bool MatchArnUnits(const std::vector<PatternUnit>& units, std::string_view value) {
  std::array<size_t, 6> starts{};
  std::array<size_t, 6> ends{};
  size_t component = 0;
  for (size_t i = 0; i < units.size() && component < 5; ++i) {
    if (units[i] != kColon) continue;
    ends[component] = i;
    starts[++component] = i + 1;
  }
  if (component < 5) return GlobMatch(units, value);
  ends[5] = units.size();
  auto parts = SplitArn(value);
  if (!parts) return false;
  for (size_t c = 0; c < 6; ++c) {
    if (!GlobMatch(units.data() + starts[c], ends[c] - starts[c], (*parts)[c])) return false;
  }
  return true;
}

bool ActionApplies(const CompiledStatement& s, std::string_view action) {
  bool any = false;
  for (const GlobPattern& p : s.actions) {
    if (p.Matches(action, /*fold_case=*/true)) {
      any = true;
      break;
    }
  }
  return any != s.not_action;
}

bool ResourceApplies(const CompiledStatement& s, const Request& request) {
  if (!s.has_resource) return true;  // trust policies: the role is the resource
  bool any = false;
  for (const ValueTemplate& r : s.resources) {
    if (ResourceMatches(r, request)) {
      any = true;
      break;
    }
  }
  return any != s.not_resource;
}

// The principal match of a statement, or kNone when it does not apply to the principal.
PrincipalMatch PrincipalApplies(const CompiledStatement& s, const CompiledPolicy& policy,
                                const Request& request) {
  if (!s.has_principal || policy.kind() == PolicyKind::kIdentity ||
      policy.kind() == PolicyKind::kSession) {
    return PrincipalMatch::kDirect;
  }
  if (s.not_principal) {
    return NotPrincipalExcludes(s.principal, request) ? PrincipalMatch::kNone
                                                      : PrincipalMatch::kDirect;
  }
  return MatchPrincipal(s.principal, request);
}

bool ConditionsHold(const CompiledStatement& s, const Request& request) {
  for (const ConditionClause& c : s.conditions) {
    if (!c.Matches(request.context)) return false;
  }
  return true;
}

}  // namespace

bool ResourceMatches(const ValueTemplate& pattern, const Request& request) {
  if (pattern.text() == "*") return true;
  if (!pattern.has_variables()) return MatchArnUnits(pattern.units(), request.resource);
  thread_local std::vector<PatternUnit> units;  // reused: no allocation per evaluation
  units.clear();
  if (!pattern.ResolveUnits(request.context, units)) return false;
  return MatchArnUnits(units, request.resource);
}

MatchedStatement MatchedAt(const CompiledPolicy& policy, size_t index) {
  return MatchedStatement{policy.policy_id(), policy.statements()[index].sid, index};
}

PolicyEvalDetail EvaluateDetail(const CompiledPolicy& policy, const Request& request) {
  PolicyEvalDetail detail;
  const auto& statements = policy.statements();
  for (size_t i = 0; i < statements.size(); ++i) {
    const CompiledStatement& s = statements[i];
    if (s.allow && detail.allow_match == PrincipalMatch::kDirect) continue;  // nothing to learn
    if (!ActionApplies(s, request.action)) continue;
    PrincipalMatch match = PrincipalApplies(s, policy, request);
    if (match == PrincipalMatch::kNone) continue;
    if (!ResourceApplies(s, request) || !ConditionsHold(s, request)) continue;
    if (!s.allow) {
      return PolicyEvalDetail{Effect::kDeny, i, PrincipalMatch::kNone, 0};
    }
    if (detail.effect == Effect::kNotApplicable) {
      detail.effect = Effect::kAllow;
      detail.decided_index = i;
    }
    if (match > detail.allow_match) {
      detail.allow_match = match;
      detail.allow_match_index = i;
    }
  }
  return detail;
}

StatementEval Evaluate(const CompiledPolicy& policy, const Request& request) {
  PolicyEvalDetail detail = EvaluateDetail(policy, request);
  StatementEval out;
  out.effect = detail.effect;
  if (detail.effect != Effect::kNotApplicable) {
    out.decided_by = MatchedAt(policy, detail.decided_index);
  }
  return out;
}

}  // namespace kura::policy
