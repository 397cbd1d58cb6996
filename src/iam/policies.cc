// CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, ListEntitiesForPolicy: customer managed
// policies. https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html and
// siblings. kura has no AWS managed policies: Scope=AWS lists nothing.
#include "common/ids.h"
#include "common/limits.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"

namespace kura::iam::handlers {

net::awaitable<Result<std::string>> CreatePolicy(IamCall& call) {
  auto name = call.Name("PolicyName", "policyName", 128);
  if (!name) co_return name.error();
  auto path = call.Path();
  if (!path) co_return path.error();
  std::string description = call.Param("Description");
  if (description.size() > 1000) {
    co_return MakeError(ErrorCode::kValidationError,
                        "1 validation error detected: Value at 'description' failed to satisfy "
                        "constraint: Member must have length less than or equal to 1000");
  }
  auto tags = call.Tags();
  if (!tags) co_return tags.error();
  std::string arn = IamArn(call.account(), "policy", *path, *name);
  auto submitted =
      ReadPolicyDocument(call, "PolicyDocument", limits::kMaxManagedPolicyChars, arn);
  if (!submitted) co_return submitted.error();
  std::shared_ptr<const ManagedPolicy> created;
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (s.policies.count(key) > 0) {
      return MakeError(ErrorCode::kEntityAlreadyExists,
                       "A policy called " + *name + " already exists. Duplicate names are not allowed.");
    }
    auto p = std::make_shared<ManagedPolicy>();
    p->name = *name;
    p->path = *path;
    p->id = NewId(call.env().random, IdPrefix::kPolicy);
    p->arn = arn;
    p->description = description;
    p->created = p->updated = call.now();
    p->default_version_id = "v1";
    p->next_version = 2;
    p->versions.push_back(
        PolicyVersion{"v1", submitted->document, p->created, submitted->compiled});
    p->tags = *tags;
    s.policies[key] = p;
    created = std::move(p);
    return Ok();
  }));
  auto& w = call.Start();
  w.Open("Policy");
  WritePolicy(w, *created, call.snapshot(), true);
  w.Close("Policy");
  co_return call.Finish();
}

net::awaitable<Result<std::string>> GetPolicy(IamCall& call) {
  auto arn = call.Required("PolicyArn", "policyArn");
  if (!arn) co_return arn.error();
  const ManagedPolicy* p = call.snapshot().FindPolicy(*arn);
  if (p == nullptr) {
    co_return MakeError(ErrorCode::kNoSuchEntity, "Policy " + *arn + " was not found.");
  }
  auto& w = call.Start();
  w.Open("Policy");
  WritePolicy(w, *p, call.snapshot(), true);
  w.Close("Policy");
  co_return call.Finish();
}

net::awaitable<Result<std::string>> ListPolicies(IamCall& call) {
  std::string scope = call.Has("Scope") ? call.Param("Scope") : "All";
  if (scope != "All" && scope != "AWS" && scope != "Local") {
    co_return MakeError(ErrorCode::kValidationError,
                        "1 validation error detected: Value '" + scope +
                            "' at 'scope' failed to satisfy constraint: Member must satisfy enum "
                            "value set: [All, AWS, Local]");
  }
  bool only_attached = call.Param("OnlyAttached") == "true";
  std::string prefix = call.Has("PathPrefix") ? call.Param("PathPrefix") : "/";
  const IdentitySnapshot& snap = call.snapshot();
  std::vector<std::string> keys;
  if (scope != "AWS") {
    for (const std::string& key : KeysWithPathPrefix(snap.state().policies, prefix)) {
      if (!only_attached || snap.AttachmentCount(snap.state().policies.at(key)->arn) > 0) {
        keys.push_back(key);
      }
    }
  }
  auto page = Paginate(call, keys);
  if (!page) co_return page.error();
  auto& w = call.Start();
  w.Open("Policies");
  for (size_t i = page->begin; i < page->end; ++i) {
    w.Open("member");
    WritePolicy(w, *snap.state().policies.at(keys[i]), snap, false);
    w.Close("member");
  }
  w.Close("Policies");
  WritePageTail(w, *page);
  co_return call.Finish();
}

net::awaitable<Result<std::string>> DeletePolicy(IamCall& call) {
  auto arn = call.Required("PolicyArn", "policyArn");
  if (!arn) co_return arn.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    const ManagedPolicy* p = FindPolicyIn(s, *arn);
    if (p == nullptr) return NoSuchPolicy(*arn);
    IdentitySnapshot counts(s);
    if (counts.AttachmentCount(*arn) > 0 || counts.BoundaryUsageCount(*arn) > 0) {
      return MakeError(ErrorCode::kDeleteConflict, "Cannot delete a policy attached to entities.");
    }
    if (p->versions.size() > 1) {
      return MakeError(ErrorCode::kDeleteConflict,
                       "This policy has more than one version. Before you delete a policy, you "
                       "must delete the policy's versions. The default version is deleted with "
                       "the policy.");
    }
    s.policies.erase(NameKey(p->name));
    return Ok();
  }));
  co_return call.Empty();
}

net::awaitable<Result<std::string>> ListEntitiesForPolicy(IamCall& call) {
  auto arn = call.Required("PolicyArn", "policyArn");
  if (!arn) co_return arn.error();
  std::string filter = call.Param("EntityFilter");
  const IdentitySnapshot& snap = call.snapshot();
  if (snap.FindPolicy(*arn) == nullptr) co_return NoSuchPolicy(*arn);
  // EntityFilter "PermissionsBoundary" lists boundary users; else attachments.
  bool boundary = call.Param("PolicyUsageFilter") == "PermissionsBoundary";
  auto uses = [&](const std::vector<std::string>& attached, const std::string& boundary_arn) {
    if (boundary) return boundary_arn == *arn;
    return std::find(attached.begin(), attached.end(), *arn) != attached.end();
  };
  auto wanted = [&](std::string_view kind) { return filter.empty() || filter == kind; };
  auto& w = call.Start();
  w.Open("PolicyGroups");
  for (const auto& [key, g] : snap.state().groups) {
    if (wanted("Group") && !boundary && uses(g->attached_policy_arns, "")) {
      w.Open("member").Element("GroupName", g->name).Element("GroupId", g->id).Close("member");
    }
  }
  w.Close("PolicyGroups").Open("PolicyUsers");
  for (const auto& [key, u] : snap.state().users) {
    if (wanted("User") && uses(u->attached_policy_arns, u->boundary_arn)) {
      w.Open("member").Element("UserName", u->name).Element("UserId", u->id).Close("member");
    }
  }
  w.Close("PolicyUsers").Open("PolicyRoles");
  for (const auto& [key, r] : snap.state().roles) {
    if (wanted("Role") && uses(r->attached_policy_arns, r->boundary_arn)) {
      w.Open("member").Element("RoleName", r->name).Element("RoleId", r->id).Close("member");
    }
  }
  w.Close("PolicyRoles").Bool("IsTruncated", false);
  co_return call.Finish();
}

}  // namespace kura::iam::handlers
