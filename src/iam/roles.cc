// CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy,
// DeleteRole. https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html and
// siblings. The trust policy (AssumeRolePolicyDocument) is compiled as policy::PolicyKind::kTrust.
#include "common/ids.h"
#include "common/limits.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"
#include "policy/arn.h"
#include "policy/policy.h"

namespace kura::iam::handlers {
namespace {

constexpr size_t kMaxTrustPolicyChars = 2048;  // "Role trust policy length" quota

Result<SubmittedPolicy> ReadTrustPolicy(const IamCall& call, std::string_view param,
                                        const std::string& role_arn) {
  std::string member = param == "PolicyDocument" ? "policyDocument" : "assumeRolePolicyDocument";
  auto document = call.Required(param, member);
  if (!document) return document.error();
  size_t chars = 0;
  for (char c : *document) chars += (c == ' ' || c == '\t' || c == '\n' || c == '\r') ? 0 : 1;
  if (chars > kMaxTrustPolicyChars) {
    return MakeError(ErrorCode::kLimitExceeded, "Cannot exceed quota for ACLSizePerRole: " +
                                                    std::to_string(kMaxTrustPolicyChars));
  }
  auto compiled = policy::ParsePolicy(*document, policy::PolicyKind::kTrust, role_arn + "/trust",
                                      policy::AccountOfArn(role_arn));
  if (!compiled) return compiled.error();
  return SubmittedPolicy{std::move(*document), std::move(*compiled)};
}

Result<int> ReadMaxSession(const IamCall& call) {
  std::string text = call.Param("MaxSessionDuration");
  bool digits = !text.empty() && text.size() < 9 &&
                text.find_first_not_of("0123456789") == std::string::npos;
  int value = digits ? std::stoi(text) : 0;
  if (value < limits::kMinRoleMaxSessionSeconds) {
    return MakeError(ErrorCode::kValidationError,
                     "1 validation error detected: Value '" + text +
                         "' at 'maxSessionDuration' failed to satisfy constraint: Member must "
                         "have value greater than or equal to 3600");
  }
  if (value > limits::kMaxRoleMaxSessionSeconds) {
    return MakeError(ErrorCode::kValidationError,
                     "The requested duration for the role exceeds the maximum allowed "
                     "duration of 43200 seconds.");
  }
  return value;
}

Result<std::string> ReadDescription(const IamCall& call) {
  std::string d = call.Param("Description");
  if (d.size() > 1000) {
    return MakeError(ErrorCode::kValidationError,
                     "1 validation error detected: Value at 'description' failed to satisfy "
                     "constraint: Member must have length less than or equal to 1000");
  }
  return d;
}

net::awaitable<Result<std::string>> RoleAnswer(IamCall& call, const Role& role, bool wrap) {
  auto& w = call.Start();
  if (wrap) w.Open("Role");
  WriteRole(w, role, true);
  if (wrap) w.Close("Role");
  co_return call.Finish();
}

}  // namespace

net::awaitable<Result<std::string>> CreateRole(IamCall& call) {
  auto name = call.Name("RoleName", "roleName");
  if (!name) co_return name.error();
  auto path = call.Path();
  if (!path) co_return path.error();
  auto description = ReadDescription(call);
  if (!description) co_return description.error();
  int max_session = 3600;
  if (call.Has("MaxSessionDuration")) {
    auto m = ReadMaxSession(call);
    if (!m) co_return m.error();
    max_session = *m;
  }
  auto tags = call.Tags();
  if (!tags) co_return tags.error();
  std::string boundary = call.Param("PermissionsBoundary");
  std::string arn = IamArn(call.account(), "role", *path, *name);
  auto trust = ReadTrustPolicy(call, "AssumeRolePolicyDocument", arn);
  if (!trust) co_return trust.error();
  std::shared_ptr<const Role> created;
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (s.roles.count(key) > 0) return AlreadyExists("Role", *name);
    if (!boundary.empty() && FindPolicyIn(s, boundary) == nullptr) return NoSuchPolicy(boundary);
    auto role = std::make_shared<Role>();
    role->name = *name;
    role->path = *path;
    role->id = NewId(call.env().random, IdPrefix::kRole);
    role->arn = arn;
    role->description = *description;
    role->max_session_duration = max_session;
    role->created = call.now();
    role->trust_policy_document = trust->document;
    role->trust_policy = trust->compiled;
    role->boundary_arn = boundary;
    role->tags = *tags;
    s.roles[key] = role;
    created = std::move(role);
    return Ok();
  }));
  co_return co_await RoleAnswer(call, *created, true);
}

net::awaitable<Result<std::string>> GetRole(IamCall& call) {
  auto name = call.Name("RoleName", "roleName");
  if (!name) co_return name.error();
  const Role* role = call.snapshot().FindRoleByName(*name);
  if (role == nullptr) co_return NoSuchEntity("role", *name);
  co_return co_await RoleAnswer(call, *role, true);
}

net::awaitable<Result<std::string>> ListRoles(IamCall& call) {
  std::string prefix = call.Has("PathPrefix") ? call.Param("PathPrefix") : "/";
  const auto& roles = call.snapshot().state().roles;
  std::vector<std::string> keys = KeysWithPathPrefix(roles, prefix);
  auto page = Paginate(call, keys);
  if (!page) co_return page.error();
  auto& w = call.Start();
  w.Open("Roles");
  for (size_t i = page->begin; i < page->end; ++i) {
    w.Open("member");
    WriteRole(w, *roles.at(keys[i]), false);
    w.Close("member");
  }
  w.Close("Roles");
  WritePageTail(w, *page);
  co_return call.Finish();
}

net::awaitable<Result<std::string>> UpdateRole(IamCall& call) {
  auto name = call.Name("RoleName", "roleName");
  if (!name) co_return name.error();
  auto description = ReadDescription(call);
  if (!description) co_return description.error();
  std::optional<int> max_session;
  if (call.Has("MaxSessionDuration")) {
    auto m = ReadMaxSession(call);
    if (!m) co_return m.error();
    max_session = *m;
  }
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (s.roles.count(key) == 0) return NoSuchEntity("role", *name);
    Role& role = Edit(s.roles, key);
    if (call.Has("Description")) role.description = *description;
    if (max_session) role.max_session_duration = *max_session;
    return Ok();
  }));
  call.Start();  // UpdateRole answers an empty <UpdateRoleResult/>
  co_return call.Finish();
}

net::awaitable<Result<std::string>> UpdateRoleDescription(IamCall& call) {
  auto name = call.Name("RoleName", "roleName");
  if (!name) co_return name.error();
  auto description = ReadDescription(call);
  if (!description) co_return description.error();
  std::shared_ptr<const Role> after;
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (s.roles.count(key) == 0) return NoSuchEntity("role", *name);
    Edit(s.roles, key).description = *description;
    after = s.roles.at(key);
    return Ok();
  }));
  co_return co_await RoleAnswer(call, *after, true);
}

net::awaitable<Result<std::string>> UpdateAssumeRolePolicy(IamCall& call) {
  auto name = call.Name("RoleName", "roleName");
  if (!name) co_return name.error();
  std::string resource = RoleResource(call.snapshot(), *name);
  auto trust = ReadTrustPolicy(call, "PolicyDocument", resource);
  if (!trust) co_return trust.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (s.roles.count(key) == 0) return NoSuchEntity("role", *name);
    Role& role = Edit(s.roles, key);
    role.trust_policy_document = trust->document;
    role.trust_policy = trust->compiled;
    return Ok();
  }));
  co_return call.Empty();
}

net::awaitable<Result<std::string>> DeleteRole(IamCall& call) {
  auto name = call.Name("RoleName", "roleName");
  if (!name) co_return name.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    auto it = s.roles.find(NameKey(*name));
    if (it == s.roles.end()) return NoSuchEntity("role", *name);
    if (!it->second->inline_policies.empty()) {
      return MakeError(ErrorCode::kDeleteConflict, "Cannot delete entity, must delete policies first.");
    }
    if (!it->second->attached_policy_arns.empty()) {
      return MakeError(ErrorCode::kDeleteConflict,
                       "Cannot delete entity, must detach all policies first.");
    }
    s.roles.erase(it);
    return Ok();
  }));
  co_return call.Empty();
}

}  // namespace kura::iam::handlers
