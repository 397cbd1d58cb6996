// SimulatePrincipalPolicy and SimulateCustomPolicy: the policy simulator. Evaluates each
// ActionName × ResourceArn with the same engine as real requests and reports the decision and
// the deciding statement. https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
// PolicyInputList adds identity policies, PermissionsBoundaryPolicyInputList a boundary,
// ResourcePolicy a resource policy, ContextEntries condition keys. Missing context keys are not
// reported (MissingContextValues is always empty).
#include "common/ids.h"
#include "iam/iam_credential_resolver.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"
#include "policy/context_keys.h"
#include "policy/policy.h"

namespace kura::iam::handlers {
namespace {

// What to simulate, with the compiled policies kept alive.
struct Simulation {
  std::vector<CompiledPolicyPtr> owned;
  policy::AuthorizationInput input;
  Principal principal;
  std::vector<std::pair<std::string, std::vector<std::string>>> context;
};

Result<void> AddPolicies(const IamCall& call, std::string_view list, policy::PolicyKind kind,
                         Simulation& sim, std::vector<const policy::CompiledPolicy*>& into) {
  std::vector<std::string> docs = call.List(list);
  for (size_t i = 0; i < docs.size(); ++i) {
    auto compiled = policy::ParsePolicy(docs[i], kind, "PolicyInputList." + std::to_string(i + 1),
                                        call.account());
    if (!compiled) return compiled.error();
    into.push_back(compiled->get());
    sim.owned.push_back(std::move(*compiled));
  }
  return Ok();
}

Result<void> ReadCommon(const IamCall& call, Simulation& sim) {
  KURA_TRY(AddPolicies(call, "PolicyInputList", policy::PolicyKind::kIdentity, sim,
                       sim.input.identity_policies));
  std::vector<const policy::CompiledPolicy*> boundaries;
  KURA_TRY(AddPolicies(call, "PermissionsBoundaryPolicyInputList", policy::PolicyKind::kIdentity,
                       sim, boundaries));
  if (!boundaries.empty()) sim.input.permissions_boundary = boundaries.front();
  if (call.Has("ResourcePolicy")) {
    auto compiled = policy::ParsePolicy(call.Param("ResourcePolicy"), policy::PolicyKind::kResource,
                                        "ResourcePolicy");
    if (!compiled) return MakeError(ErrorCode::kMalformedPolicyDocument, compiled.error().message);
    sim.input.resource_policy = compiled->get();
    sim.owned.push_back(std::move(*compiled));
  }
  for (int i = 1;; ++i) {
    std::string prefix = "ContextEntries.member." + std::to_string(i);
    if (!call.Has(prefix + ".ContextKeyName")) break;
    sim.context.emplace_back(call.Param(prefix + ".ContextKeyName"),
                             call.List(prefix + ".ContextKeyValues"));
  }
  return Ok();
}

std::string_view DecisionName(policy::Decision d) {
  switch (d) {
    case policy::Decision::kAllow: return "allowed";
    case policy::Decision::kExplicitDeny: return "explicitDeny";
    case policy::Decision::kImplicitDeny: break;
  }
  return "implicitDeny";
}

std::string_view SourceType(const std::string& policy_id) {
  if (policy_id.find(":policy/") != std::string::npos) return "IAM Policy";
  if (policy_id.find(":user/") != std::string::npos) return "user";
  if (policy_id.find(":group/") != std::string::npos) return "group";
  if (policy_id.find(":role/") != std::string::npos) return "role";
  if (policy_id == "ResourcePolicy") return "resource";
  return "none";
}

std::string Evaluate(IamCall& call, const Simulation& sim) {
  std::vector<std::string> actions = call.List("ActionNames");
  std::vector<std::string> resources = call.List("ResourceArns");
  if (resources.empty()) resources.push_back("*");
  policy::RequestFacts facts;
  facts.now = call.now();
  facts.source_ip = std::string(call.query().facts.source_ip);
  policy::RequestContext context = policy::BuildRequestContext(sim.principal, facts);
  for (const auto& [key, values] : sim.context) context.SetMulti(key, values);
  auto& w = call.Start();
  w.Open("EvaluationResults");
  for (const std::string& action : actions) {
    for (const std::string& resource : resources) {
      policy::Request request{action, resource, sim.principal, context};
      policy::AuthorizationResult r = policy::Authorize(sim.input, request);
      w.Open("member")
          .Element("EvalActionName", action)
          .Element("EvalResourceName", resource)
          .Element("EvalDecision", DecisionName(r.decision))
          .Open("MatchedStatements");
      if (r.decided_by) {
        w.Open("member")
            .Element("SourcePolicyId", r.decided_by->policy_id)
            .Element("SourcePolicyType", SourceType(r.decided_by->policy_id))
            .Close("member");
      }
      w.Close("MatchedStatements").Open("MissingContextValues").Close("MissingContextValues");
      w.Close("member");
    }
  }
  w.Close("EvaluationResults").Bool("IsTruncated", false);
  return call.Finish();
}

Result<void> RequireActions(const IamCall& call) {
  if (call.List("ActionNames").empty()) {
    return MakeError(ErrorCode::kValidationError,
                     "1 validation error detected: Value null at 'actionNames' failed to "
                     "satisfy constraint: Member must not be null");
  }
  return Ok();
}

// The principal and its policies for PolicySourceArn (a user, group or role).
Result<void> LoadSource(const IdentitySnapshot& snap, const std::string& arn, Simulation& sim) {
  for (const auto& [key, u] : snap.state().users) {
    if (u->arn != arn) continue;
    sim.principal = *UserPrincipal(*u, snap.account_id(), "");
    const EffectivePolicies& e = snap.ForUser(*u);
    sim.input.identity_policies = e.identity;
    sim.input.permissions_boundary = e.boundary;
    return Ok();
  }
  if (const Role* r = snap.FindRoleByArn(arn)) {
    sim.principal.type = PrincipalType::kAssumedRole;
    sim.principal.account_id = snap.account_id();
    sim.principal.arn = r->arn;
    sim.principal.user_id = r->id;
    const EffectivePolicies& e = snap.ForRole(*r);
    sim.input.identity_policies = e.identity;
    sim.input.permissions_boundary = e.boundary;
    return Ok();
  }
  for (const auto& [key, g] : snap.state().groups) {
    if (g->arn != arn) continue;
    sim.principal.type = PrincipalType::kUser;
    sim.principal.account_id = snap.account_id();
    sim.principal.arn = g->arn;
    for (const InlinePolicy& p : g->inline_policies) sim.input.identity_policies.push_back(p.compiled.get());
    for (const std::string& a : g->attached_policy_arns) {
      if (const policy::CompiledPolicy* p = snap.FindCompiledPolicy(a)) {
        sim.input.identity_policies.push_back(p);
      }
    }
    return Ok();
  }
  return MakeError(ErrorCode::kNoSuchEntity, "The user, group or role " + arn + " cannot be found.");
}

}  // namespace

net::awaitable<Result<std::string>> SimulatePrincipalPolicy(IamCall& call) {
  auto source = call.Required("PolicySourceArn", "policySourceArn");
  if (!source) co_return source.error();
  KURA_CO_TRY(RequireActions(call));
  Simulation sim;
  KURA_CO_TRY(LoadSource(call.snapshot(), *source, sim));
  const policy::CompiledPolicy* boundary = sim.input.permissions_boundary;
  KURA_CO_TRY(ReadCommon(call, sim));
  if (sim.input.permissions_boundary == nullptr) sim.input.permissions_boundary = boundary;
  co_return Evaluate(call, sim);
}

net::awaitable<Result<std::string>> SimulateCustomPolicy(IamCall& call) {
  KURA_CO_TRY(RequireActions(call));
  if (call.List("PolicyInputList").empty()) {
    co_return MakeError(ErrorCode::kValidationError,
                        "1 validation error detected: Value null at 'policyInputList' failed to "
                        "satisfy constraint: Member must not be null");
  }
  Simulation sim;
  sim.principal.type = PrincipalType::kUser;
  sim.principal.account_id = call.account();
  sim.principal.arn = call.Has("CallerArn") ? call.Param("CallerArn")
                                            : IamArn(call.account(), "user", "/", "SimulatedUser");
  KURA_CO_TRY(ReadCommon(call, sim));
  co_return Evaluate(call, sim);
}

}  // namespace kura::iam::handlers
