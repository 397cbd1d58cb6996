// Attach/Detach/ListAttached{User,Group,Role}Policies: managed policies attached to entities.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachUserPolicy.html and siblings.
// Attaching twice is a no-op, as in AWS; at most limits::kMaxAttachedPoliciesPerEntity.
#include "iam/entity_kinds.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"

namespace kura::iam::handlers {
namespace {

template <typename T>
net::awaitable<Result<std::string>> Attach(IamCall& call, bool attach) {
  using Kind = EntityKind<T>;
  auto name = call.Name(Kind::kParam, Kind::kMember, Kind::kMaxName);
  if (!name) co_return name.error();
  auto arn = call.Required("PolicyArn", "policyArn");
  if (!arn) co_return arn.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (Kind::Map(s).count(key) == 0) return NoSuchEntity(Kind::kNoun, *name);
    const auto& current = Kind::Map(s).at(key)->attached_policy_arns;
    auto it = std::find(current.begin(), current.end(), *arn);
    if (attach) {
      if (FindPolicyIn(s, *arn) == nullptr) return NoSuchPolicy(*arn);
      if (it != current.end()) return Ok();
      if (current.size() >= static_cast<size_t>(limits::kMaxAttachedPoliciesPerEntity)) {
        return MakeError(ErrorCode::kLimitExceeded,
                         "Cannot exceed quota for " + std::string(Kind::kQuota) + ": " +
                             std::to_string(limits::kMaxAttachedPoliciesPerEntity));
      }
      Edit(Kind::Map(s), key).attached_policy_arns.push_back(*arn);
      return Ok();
    }
    if (it == current.end()) {
      return MakeError(ErrorCode::kNoSuchEntity, "Policy " + *arn + " was not found.");
    }
    auto& arns = Edit(Kind::Map(s), key).attached_policy_arns;
    arns.erase(std::find(arns.begin(), arns.end(), *arn));
    return Ok();
  }));
  co_return call.Empty();
}

template <typename T>
net::awaitable<Result<std::string>> ListAttached(IamCall& call) {
  using Kind = EntityKind<T>;
  auto name = call.Name(Kind::kParam, Kind::kMember, Kind::kMaxName);
  if (!name) co_return name.error();
  std::string prefix = call.Has("PathPrefix") ? call.Param("PathPrefix") : "/";
  const T* entity = FindEntity<T>(call.snapshot(), *name);
  if (entity == nullptr) co_return NoSuchEntity(Kind::kNoun, *name);
  std::vector<const ManagedPolicy*> policies;
  std::vector<std::string> keys;
  for (const std::string& arn : entity->attached_policy_arns) {
    const ManagedPolicy* p = call.snapshot().FindPolicy(arn);
    if (p == nullptr || p->path.compare(0, prefix.size(), prefix) != 0) continue;
    policies.push_back(p);
    keys.push_back(NameKey(p->name));
  }
  std::vector<size_t> order(keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<std::string> sorted_keys;
  for (size_t i : order) sorted_keys.push_back(keys[i]);
  auto page = Paginate(call, sorted_keys);
  if (!page) co_return page.error();
  auto& w = call.Start();
  w.Open("AttachedPolicies");
  for (size_t i = page->begin; i < page->end; ++i) {
    const ManagedPolicy* p = policies[order[i]];
    w.Open("member").Element("PolicyName", p->name).Element("PolicyArn", p->arn).Close("member");
  }
  w.Close("AttachedPolicies");
  WritePageTail(w, *page);
  co_return call.Finish();
}

}  // namespace

net::awaitable<Result<std::string>> AttachUserPolicy(IamCall& c) { return Attach<User>(c, true); }
net::awaitable<Result<std::string>> DetachUserPolicy(IamCall& c) { return Attach<User>(c, false); }
net::awaitable<Result<std::string>> ListAttachedUserPolicies(IamCall& c) { return ListAttached<User>(c); }
net::awaitable<Result<std::string>> AttachGroupPolicy(IamCall& c) { return Attach<Group>(c, true); }
net::awaitable<Result<std::string>> DetachGroupPolicy(IamCall& c) { return Attach<Group>(c, false); }
net::awaitable<Result<std::string>> ListAttachedGroupPolicies(IamCall& c) { return ListAttached<Group>(c); }
net::awaitable<Result<std::string>> AttachRolePolicy(IamCall& c) { return Attach<Role>(c, true); }
net::awaitable<Result<std::string>> DetachRolePolicy(IamCall& c) { return Attach<Role>(c, false); }
net::awaitable<Result<std::string>> ListAttachedRolePolicies(IamCall& c) { return ListAttached<Role>(c); }

}  // namespace kura::iam::handlers
