// Put/Get/Delete/List {User,Group,Role}Policy: inline policies embedded in an entity.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html and siblings.
// The size quota is per entity, over all its inline policies (2048 / 5120 / 10240 characters,
// whitespace not counted), as https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
// states. Documents come back URL-encoded.
#include "iam/entity_kinds.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"

namespace kura::iam::handlers {
namespace {

size_t PolicyChars(std::string_view document) {
  size_t n = 0;
  for (char c : document) n += (c == ' ' || c == '\t' || c == '\n' || c == '\r') ? 0 : 1;
  return n;
}

template <typename T>
Error NoSuchInline(std::string_view policy_name) {
  return MakeError(ErrorCode::kNoSuchEntity, "The " + std::string(EntityKind<T>::kNoun) +
                                                 " policy with name " + std::string(policy_name) +
                                                 " cannot be found.");
}

template <typename T>
net::awaitable<Result<std::string>> Put(IamCall& call) {
  using Kind = EntityKind<T>;
  auto name = call.Name(Kind::kParam, Kind::kMember, Kind::kMaxName);
  if (!name) co_return name.error();
  auto policy_name = call.Name("PolicyName", "policyName", 128);
  if (!policy_name) co_return policy_name.error();
  std::string resource = EntityResource<T>(call.snapshot(), *name);
  std::string too_large = "Maximum policy size of " + std::to_string(Kind::kMaxInlineChars) +
                          " bytes exceeded for " + std::string(Kind::kNoun) + " " + *name;
  auto submitted = ReadPolicyDocument(call, "PolicyDocument", Kind::kMaxInlineChars,
                                      resource + "/" + *policy_name, too_large);
  if (!submitted) co_return submitted.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (Kind::Map(s).count(key) == 0) return NoSuchEntity(Kind::kNoun, *name);
    T& entity = Edit(Kind::Map(s), key);
    size_t total = PolicyChars(submitted->document);
    InlinePolicy* existing = nullptr;
    for (InlinePolicy& p : entity.inline_policies) {
      if (p.name == *policy_name) {
        existing = &p;
      } else {
        total += PolicyChars(p.document);
      }
    }
    if (total > Kind::kMaxInlineChars) return MakeError(ErrorCode::kLimitExceeded, too_large);
    InlinePolicy policy{*policy_name, submitted->document, submitted->compiled};
    if (existing != nullptr) {
      *existing = std::move(policy);
    } else {
      entity.inline_policies.push_back(std::move(policy));
    }
    return Ok();
  }));
  co_return call.Empty();
}

template <typename T>
net::awaitable<Result<std::string>> Get(IamCall& call) {
  using Kind = EntityKind<T>;
  auto name = call.Name(Kind::kParam, Kind::kMember, Kind::kMaxName);
  if (!name) co_return name.error();
  auto policy_name = call.Name("PolicyName", "policyName", 128);
  if (!policy_name) co_return policy_name.error();
  const T* entity = FindEntity<T>(call.snapshot(), *name);
  if (entity == nullptr) co_return NoSuchEntity(Kind::kNoun, *name);
  for (const InlinePolicy& p : entity->inline_policies) {
    if (p.name != *policy_name) continue;
    auto& w = call.Start();
    w.Element(Kind::kParam, entity->name)
        .Element("PolicyName", p.name)
        .Element("PolicyDocument", PolicyDocumentText(p.document));
    co_return call.Finish();
  }
  co_return NoSuchInline<T>(*policy_name);
}

template <typename T>
net::awaitable<Result<std::string>> Delete(IamCall& call) {
  using Kind = EntityKind<T>;
  auto name = call.Name(Kind::kParam, Kind::kMember, Kind::kMaxName);
  if (!name) co_return name.error();
  auto policy_name = call.Name("PolicyName", "policyName", 128);
  if (!policy_name) co_return policy_name.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (Kind::Map(s).count(key) == 0) return NoSuchEntity(Kind::kNoun, *name);
    auto& policies = Edit(Kind::Map(s), key).inline_policies;
    auto it = std::find_if(policies.begin(), policies.end(),
                           [&](const InlinePolicy& p) { return p.name == *policy_name; });
    if (it == policies.end()) return NoSuchInline<T>(*policy_name);
    policies.erase(it);
    return Ok();
  }));
  co_return call.Empty();
}

template <typename T>
net::awaitable<Result<std::string>> List(IamCall& call) {
  using Kind = EntityKind<T>;
  auto name = call.Name(Kind::kParam, Kind::kMember, Kind::kMaxName);
  if (!name) co_return name.error();
  const T* entity = FindEntity<T>(call.snapshot(), *name);
  if (entity == nullptr) co_return NoSuchEntity(Kind::kNoun, *name);
  std::vector<std::string> names;
  for (const InlinePolicy& p : entity->inline_policies) names.push_back(p.name);
  std::sort(names.begin(), names.end());
  auto page = Paginate(call, names);
  if (!page) co_return page.error();
  auto& w = call.Start();
  w.Open("PolicyNames");
  for (size_t i = page->begin; i < page->end; ++i) w.Element("member", names[i]);
  w.Close("PolicyNames");
  WritePageTail(w, *page);
  co_return call.Finish();
}

}  // namespace

net::awaitable<Result<std::string>> PutUserPolicy(IamCall& c) { return Put<User>(c); }
net::awaitable<Result<std::string>> GetUserPolicy(IamCall& c) { return Get<User>(c); }
net::awaitable<Result<std::string>> DeleteUserPolicy(IamCall& c) { return Delete<User>(c); }
net::awaitable<Result<std::string>> ListUserPolicies(IamCall& c) { return List<User>(c); }
net::awaitable<Result<std::string>> PutGroupPolicy(IamCall& c) { return Put<Group>(c); }
net::awaitable<Result<std::string>> GetGroupPolicy(IamCall& c) { return Get<Group>(c); }
net::awaitable<Result<std::string>> DeleteGroupPolicy(IamCall& c) { return Delete<Group>(c); }
net::awaitable<Result<std::string>> ListGroupPolicies(IamCall& c) { return List<Group>(c); }
net::awaitable<Result<std::string>> PutRolePolicy(IamCall& c) { return Put<Role>(c); }
net::awaitable<Result<std::string>> GetRolePolicy(IamCall& c) { return Get<Role>(c); }
net::awaitable<Result<std::string>> DeleteRolePolicy(IamCall& c) { return Delete<Role>(c); }
net::awaitable<Result<std::string>> ListRolePolicies(IamCall& c) { return List<Role>(c); }

}  // namespace kura::iam::handlers
