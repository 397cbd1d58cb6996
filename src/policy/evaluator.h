// Single-policy evaluation internals shared by Evaluate and Authorize (policy.h). A statement
// applies when its principal (resource/trust policies only), action, resource and every condition
// match. Action matching is case-insensitive; Resource matching is case-sensitive and, for a
// six-component ARN pattern, component by component as ArnLike. Thread-safety: pure.
#pragma once

#include "policy/policy.h"
#include "policy/principal_spec.h"

namespace kura::policy {

struct PolicyEvalDetail {
  Effect effect = Effect::kNotApplicable;
  size_t decided_index = 0;  // valid unless kNotApplicable
  // For an Allow: the strongest principal match among the applicable Allow statements (kDirect
  // for policies without a Principal element).
  PrincipalMatch allow_match = PrincipalMatch::kNone;
  size_t allow_match_index = 0;
};

PolicyEvalDetail EvaluateDetail(const CompiledPolicy& policy, const Request& request);

// Whether `resource` matches the (resolved) Resource pattern; false if a variable is unresolvable.
bool ResourceMatches(const ValueTemplate& pattern, const Request& request);

MatchedStatement MatchedAt(const CompiledPolicy& policy, size_t index);

}  // namespace kura::policy
