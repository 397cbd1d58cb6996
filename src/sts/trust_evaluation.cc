#include "sts/trust_evaluation.h"

#include "policy/context_keys.h"
#include "policy/policy.h"
#include "policy/resolved_identity.h"
#include "sts/session_issue.h"

namespace kura::sts {
namespace {

// The caller's own session policies (role chaining, or a session calling AssumeRole), as its
// credential resolution found them; without that, a session with an inline policy allows
// nothing (its compiled policy is not at hand) rather than losing its restriction.
std::vector<std::shared_ptr<const policy::CompiledPolicy>> SessionPoliciesOf(
    const RoleDirectory& roles, const TrustCheck& check) {
  std::vector<std::shared_ptr<const policy::CompiledPolicy>> out;
  const Principal& caller = check.caller;
  if (!caller.session) return out;
  if (const auto* resolved = policy::ResolvedFor(check.facts.grants, caller)) {
    // Borrowed: the resolved identity outlives the check.
    for (const policy::CompiledPolicy* p : resolved->session_policies) {
      out.emplace_back(std::shared_ptr<const policy::CompiledPolicy>(), p);
    }
    return out;
  }
  if (caller.session->has_session_policy) {
    out.emplace_back(std::shared_ptr<const policy::CompiledPolicy>(), &policy::AllowsNothing());
  }
  for (const std::string& arn : caller.session->session_policy_arns) {
    // A managed session policy deleted since keeps denying: an empty set allows nothing.
    auto p = roles.FindManagedPolicy(arn);
    out.push_back(p ? p
                    : std::shared_ptr<const policy::CompiledPolicy>(
                          std::shared_ptr<const policy::CompiledPolicy>(), &policy::AllowsNothing()));
  }
  return out;
}

std::vector<std::string> TagKeys(const TagList& tags) {
  std::vector<std::string> keys;
  for (const auto& tag : tags) keys.push_back(tag.first);
  return keys;
}

}  // namespace

policy::RequestContext TrustContext(const TrustCheck& check, const CallerPolicies& caller) {
  policy::RequestFacts facts;
  facts.now = check.now;
  facts.secure_transport = check.facts.secure_transport;
  facts.source_ip = std::string(check.facts.source_ip);
  facts.user_agent = std::string(check.facts.user_agent);
  facts.referer = std::string(check.facts.referer);
  facts.principal_tags = caller.tags;
  policy::RequestContext c = policy::BuildRequestContext(check.caller, facts);
  const AssumeRoleRequest& r = check.request;
  c.Set("sts:RoleSessionName", r.session_name);
  if (r.external_id) c.Set("sts:ExternalId", *r.external_id);
  for (const auto& [key, value] : r.tags) c.Set("aws:RequestTag/" + key, value);
  c.SetMulti("aws:TagKeys", TagKeys(r.tags));
  c.SetMulti("sts:TransitiveTagKeys", r.transitive_tag_keys);
  if (check.source_identity.empty()) {
    c.Erase("sts:SourceIdentity");
  } else {
    c.Set("sts:SourceIdentity", std::string(check.source_identity));
  }
  return c;
}

Result<void> AuthorizeAssumeRole(const RoleDirectory& roles, const TrustCheck& check) {
  if (check.role.trust_policy == nullptr) {
    return NotAuthorized(check.caller, "sts:AssumeRole", check.role.arn);
  }
  CallerPolicies caller = roles.PoliciesOf(check.caller);
  auto sessions = SessionPoliciesOf(roles, check);
  policy::AuthorizationInput input;
  for (const auto& p : caller.identity) input.identity_policies.push_back(p.get());
  for (const auto& p : sessions) input.session_policies.push_back(p.get());
  input.permissions_boundary = caller.boundary.get();
  input.resource_policy = check.role.trust_policy.get();
  // A role of another account: its trust policy AND the caller's own policies must allow.
  std::string role_account = RoleAccount(check.role);
  input.resource_account = role_account;
  policy::RequestContext context = TrustContext(check, caller);

  std::vector<std::string_view> actions = {"sts:AssumeRole"};
  if (!check.request.tags.empty()) actions.push_back("sts:TagSession");
  if (!check.source_identity.empty()) actions.push_back("sts:SetSourceIdentity");
  for (std::string_view action : actions) {
    policy::Request request{action, check.role.arn, check.caller, context};
    if (policy::Authorize(input, request).decision != policy::Decision::kAllow) {
      return NotAuthorized(check.caller, action, check.role.arn);
    }
  }
  return Ok();
}

}  // namespace kura::sts
