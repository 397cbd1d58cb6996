// Authorize: AWS's decision for a request within one account, from
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
// and the session-policy and permissions-boundary pages (which say how a resource-based policy
// naming a user, a role, or a role session combines with boundaries and session policies).
#include "policy/evaluator.h"
#include "policy/resolved_identity.h"

namespace kura::policy {
namespace {

// One policy set's evaluation, done once per request and read by both the deny and allow steps.
struct SetEval {
  std::optional<MatchedStatement> deny;   // the first explicit Deny
  std::optional<MatchedStatement> allow;  // the first Allow (the union of the set's Allows)
};

SetEval EvaluateSet(const std::vector<const CompiledPolicy*>& policies, const Request& request) {
  SetEval out;
  for (const CompiledPolicy* p : policies) {
    if (p == nullptr) continue;
    PolicyEvalDetail d = EvaluateDetail(*p, request);
    if (d.effect == Effect::kDeny) {
      out.deny = MatchedAt(*p, d.decided_index);
      return out;
    }
    if (d.effect == Effect::kAllow && !out.allow) out.allow = MatchedAt(*p, d.decided_index);
  }
  return out;
}

AuthorizationResult ExplicitDeny(MatchedStatement by, std::string_view type) {
  return {Decision::kExplicitDeny, std::move(by),
          "with an explicit deny in a " + std::string(type)};
}

AuthorizationResult ImplicitDeny(std::string_view type, const Request& request) {
  return {
      Decision::kImplicitDeny, std::nullopt,
      "because no " + std::string(type) + " allows the " + std::string(request.action) + " action"};
}

AuthorizationResult AllowedBy(MatchedStatement by, std::string reason) {
  return {Decision::kAllow, std::move(by), std::move(reason)};
}

// RestrictPublicBuckets: a public resource policy grants only within the owner's account.
bool OutsideRestrictedAccount(const AuthorizationInput& input, const Principal& principal) {
  std::string_view account = input.resource_policy_only_for_account;
  if (account.empty()) return false;
  return principal.IsAnonymous() || principal.account_id != account;
}

bool IsCrossAccount(const AuthorizationInput& input, const Principal& principal) {
  return !input.resource_account.empty() && !principal.IsAnonymous() &&
         principal.account_id != input.resource_account;
}

// Step 2 onwards for a principal of another account: both accounts must allow.
AuthorizationResult AuthorizeCrossAccount(const SetEval& id, const PolicyEvalDetail& res,
                                          bool resource_allows, bool root, bool boundary_allows,
                                          bool session_allows, const AuthorizationInput& input,
                                          const Request& request) {
  bool is_trust = input.resource_policy != nullptr &&
                  input.resource_policy->kind() == PolicyKind::kTrust;
  if (!resource_allows) {
    return ImplicitDeny(is_trust ? "role trust policy" : "resource-based policy", request);
  }
  if (root) {
    return AllowedBy(MatchedAt(*input.resource_policy, res.decided_index),
                     "resource-based policy grants the principal's account");
  }
  if (!id.allow) return ImplicitDeny("identity-based policy", request);
  if (!boundary_allows) return ImplicitDeny("permissions boundary", request);
  if (!session_allows) return ImplicitDeny("session policy", request);
  return AllowedBy(*id.allow, "identity-based and resource-based policies allow");
}

}  // namespace

AuthorizationResult Authorize(const AuthorizationInput& input, const Request& request) {
  const Principal& principal = request.principal;
  bool anonymous = principal.IsAnonymous();
  bool root = input.is_root || principal.IsRoot();
  // Root and anonymous requests carry no identity, boundary or session policies.
  std::vector<const CompiledPolicy*> none;
  const auto& identity = (root || anonymous) ? none : input.identity_policies;
  const auto& sessions = (root || anonymous) ? none : input.session_policies;
  const CompiledPolicy* boundary = (root || anonymous) ? nullptr : input.permissions_boundary;
  const CompiledPolicy* resource = input.resource_policy;
  bool is_trust = resource != nullptr && resource->kind() == PolicyKind::kTrust;

  // 1. Explicit deny anywhere.
  SetEval id = EvaluateSet(identity, request);
  if (id.deny) return ExplicitDeny(*id.deny, "identity-based policy");
  PolicyEvalDetail res;
  if (resource != nullptr) res = EvaluateDetail(*resource, request);
  if (res.effect == Effect::kDeny) {
    return ExplicitDeny(MatchedAt(*resource, res.decided_index),
                        is_trust ? "role trust policy" : "resource-based policy");
  }
  SetEval bound = EvaluateSet({boundary}, request);
  if (bound.deny) return ExplicitDeny(*bound.deny, "permissions boundary");
  SetEval session = EvaluateSet(sessions, request);
  if (session.deny) return ExplicitDeny(*session.deny, "session policy");
  bool resource_allows = res.effect == Effect::kAllow && !OutsideRestrictedAccount(input, principal);
  bool boundary_allows = boundary == nullptr || bound.allow.has_value();
  bool session_allows = sessions.empty() || session.allow.has_value();
  if (IsCrossAccount(input, principal)) {
    return AuthorizeCrossAccount(id, res, resource_allows, root, boundary_allows, session_allows,
                                 input, request);
  }

  // 2. The root user has full access unless explicitly denied (a trust policy must still allow).
  if (root && (!is_trust || resource_allows)) {
    MatchedStatement by{"", "", 0};
    if (resource_allows) by = MatchedAt(*resource, res.decided_index);
    return {Decision::kAllow, resource_allows ? std::optional(by) : std::nullopt,
            "the account root user"};
  }
  if (is_trust && !resource_allows) return ImplicitDeny("role trust policy", request);

  // 3. A resource-based policy Allow naming the principal itself, or a session's role.
  if (resource_allows && res.allow_match == PrincipalMatch::kDirect) {
    return AllowedBy(MatchedAt(*resource, res.allow_match_index),
                     "resource-based policy names the principal");
  }
  if (resource_allows && res.allow_match == PrincipalMatch::kEntity && boundary_allows &&
      session_allows) {
    return AllowedBy(MatchedAt(*resource, res.allow_match_index),
                     "resource-based policy names the role");
  }

  // 4. Identity ∩ boundary ∩ session.
  if (!id.allow && !(resource_allows && res.allow_match == PrincipalMatch::kEntity)) {
    if (anonymous) return ImplicitDeny("resource-based policy", request);
    return ImplicitDeny("identity-based policy", request);
  }
  if (!boundary_allows) return ImplicitDeny("permissions boundary", request);
  if (!session_allows) return ImplicitDeny("session policy", request);
  return AllowedBy(*id.allow, "identity-based policy allows");
}

const CompiledPolicy& AllowsNothing() {
  static const CompiledPolicy kEmpty(PolicyKind::kSession, "deleted", "", {});
  return kEmpty;
}

}  // namespace kura::policy
