#include "iam/iam_service.h"

#include "iam/entity_kinds.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"
#include "iam/oidc_provider.h"
#include "oidc/id_token_verifier.h"

namespace kura::iam {
namespace {

using policy::Access;
using policy::ResourceKind;
using Entry = policy::Endpoint<Handler>;

// Every IAM action kura implements: "iam:<Action>", authorized by the pipeline on the resource
// its kind names (IamService::Resource), signed callers only.
#define KURA_IAM_ENDPOINT(name, kind) \
  Entry{{#name, "iam:" #name, ResourceKind::kind, Access::kSignedOnly}, &handlers::name}
constexpr Entry kEndpoints[] = {
    // users.cc
    KURA_IAM_ENDPOINT(CreateUser, kNewUser),
    KURA_IAM_ENDPOINT(GetUser, kUserOrSelf),
    KURA_IAM_ENDPOINT(ListUsers, kAllUsers),
    KURA_IAM_ENDPOINT(UpdateUser, kUser),
    KURA_IAM_ENDPOINT(DeleteUser, kUser),
    // access_keys.cc
    KURA_IAM_ENDPOINT(CreateAccessKey, kUserOrCaller),
    KURA_IAM_ENDPOINT(ListAccessKeys, kUserOrCaller),
    KURA_IAM_ENDPOINT(UpdateAccessKey, kUserOrCaller),
    KURA_IAM_ENDPOINT(DeleteAccessKey, kUserOrCaller),
    KURA_IAM_ENDPOINT(GetAccessKeyLastUsed, kAccessKeyUser),
    // groups.cc
    KURA_IAM_ENDPOINT(CreateGroup, kNewGroup),
    KURA_IAM_ENDPOINT(GetGroup, kGroup),
    KURA_IAM_ENDPOINT(ListGroups, kAllGroups),
    KURA_IAM_ENDPOINT(UpdateGroup, kGroup),
    KURA_IAM_ENDPOINT(DeleteGroup, kGroup),
    KURA_IAM_ENDPOINT(AddUserToGroup, kGroup),
    KURA_IAM_ENDPOINT(RemoveUserFromGroup, kGroup),
    KURA_IAM_ENDPOINT(ListGroupsForUser, kUser),
    // policies.cc
    KURA_IAM_ENDPOINT(CreatePolicy, kNewPolicy),
    KURA_IAM_ENDPOINT(GetPolicy, kPolicy),
    KURA_IAM_ENDPOINT(ListPolicies, kAny),
    KURA_IAM_ENDPOINT(DeletePolicy, kPolicy),
    KURA_IAM_ENDPOINT(ListEntitiesForPolicy, kPolicy),
    // policy_versions.cc
    KURA_IAM_ENDPOINT(CreatePolicyVersion, kPolicy),
    KURA_IAM_ENDPOINT(GetPolicyVersion, kPolicy),
    KURA_IAM_ENDPOINT(ListPolicyVersions, kPolicy),
    KURA_IAM_ENDPOINT(SetDefaultPolicyVersion, kPolicy),
    KURA_IAM_ENDPOINT(DeletePolicyVersion, kPolicy),
    // attachments.cc
    KURA_IAM_ENDPOINT(AttachUserPolicy, kUser),
    KURA_IAM_ENDPOINT(DetachUserPolicy, kUser),
    KURA_IAM_ENDPOINT(ListAttachedUserPolicies, kUser),
    KURA_IAM_ENDPOINT(AttachGroupPolicy, kGroup),
    KURA_IAM_ENDPOINT(DetachGroupPolicy, kGroup),
    KURA_IAM_ENDPOINT(ListAttachedGroupPolicies, kGroup),
    KURA_IAM_ENDPOINT(AttachRolePolicy, kRole),
    KURA_IAM_ENDPOINT(DetachRolePolicy, kRole),
    KURA_IAM_ENDPOINT(ListAttachedRolePolicies, kRole),
    // inline_policies.cc
    KURA_IAM_ENDPOINT(PutUserPolicy, kUser),
    KURA_IAM_ENDPOINT(GetUserPolicy, kUser),
    KURA_IAM_ENDPOINT(DeleteUserPolicy, kUser),
    KURA_IAM_ENDPOINT(ListUserPolicies, kUser),
    KURA_IAM_ENDPOINT(PutGroupPolicy, kGroup),
    KURA_IAM_ENDPOINT(GetGroupPolicy, kGroup),
    KURA_IAM_ENDPOINT(DeleteGroupPolicy, kGroup),
    KURA_IAM_ENDPOINT(ListGroupPolicies, kGroup),
    KURA_IAM_ENDPOINT(PutRolePolicy, kRole),
    KURA_IAM_ENDPOINT(GetRolePolicy, kRole),
    KURA_IAM_ENDPOINT(DeleteRolePolicy, kRole),
    KURA_IAM_ENDPOINT(ListRolePolicies, kRole),
    // roles.cc
    KURA_IAM_ENDPOINT(CreateRole, kNewRole),
    KURA_IAM_ENDPOINT(GetRole, kRole),
    KURA_IAM_ENDPOINT(ListRoles, kAllRoles),
    KURA_IAM_ENDPOINT(UpdateRole, kRole),
    KURA_IAM_ENDPOINT(UpdateRoleDescription, kRole),
    KURA_IAM_ENDPOINT(UpdateAssumeRolePolicy, kRole),
    KURA_IAM_ENDPOINT(DeleteRole, kRole),
    // boundaries.cc
    KURA_IAM_ENDPOINT(PutUserPermissionsBoundary, kUser),
    KURA_IAM_ENDPOINT(DeleteUserPermissionsBoundary, kUser),
    KURA_IAM_ENDPOINT(PutRolePermissionsBoundary, kRole),
    KURA_IAM_ENDPOINT(DeleteRolePermissionsBoundary, kRole),
    // tags.cc
    KURA_IAM_ENDPOINT(TagUser, kUser),
    KURA_IAM_ENDPOINT(UntagUser, kUser),
    KURA_IAM_ENDPOINT(ListUserTags, kUser),
    KURA_IAM_ENDPOINT(TagRole, kRole),
    KURA_IAM_ENDPOINT(UntagRole, kRole),
    KURA_IAM_ENDPOINT(ListRoleTags, kRole),
    KURA_IAM_ENDPOINT(TagPolicy, kPolicy),
    KURA_IAM_ENDPOINT(UntagPolicy, kPolicy),
    KURA_IAM_ENDPOINT(ListPolicyTags, kPolicy),
    // account_details.cc
    KURA_IAM_ENDPOINT(GetAccountAuthorizationDetails, kAny),
    // simulate.cc
    KURA_IAM_ENDPOINT(SimulatePrincipalPolicy, kPolicySource),
    KURA_IAM_ENDPOINT(SimulateCustomPolicy, kAny),
    // oidc_providers.cc
    KURA_IAM_ENDPOINT(CreateOpenIDConnectProvider, kNewOidcProvider),
    KURA_IAM_ENDPOINT(GetOpenIDConnectProvider, kOidcProvider),
    KURA_IAM_ENDPOINT(ListOpenIDConnectProviders, kAny),
    KURA_IAM_ENDPOINT(DeleteOpenIDConnectProvider, kOidcProvider),
    KURA_IAM_ENDPOINT(AddClientIDToOpenIDConnectProvider, kOidcProvider),
    KURA_IAM_ENDPOINT(RemoveClientIDFromOpenIDConnectProvider, kOidcProvider),
    KURA_IAM_ENDPOINT(UpdateOpenIDConnectProviderThumbprint, kOidcProvider),
    // sessions.cc: kura's own action (docs/operations.md, "Live STS sessions")
    Entry{{"ListSessions", "kura:ListSessions", ResourceKind::kRoleOrAny, Access::kSignedOnly},
          &handlers::ListSessions},
};
#undef KURA_IAM_ENDPOINT

// The ARN a call on the entity kind T is authorized on: its name parameter validated, then the
// entity's ARN (or its ARN at path "/" when it does not exist).
template <typename T>
Result<std::string> ExistingEntity(const IamCall& call) {
  using Kind = EntityKind<T>;
  auto name = call.Name(Kind::kParam, Kind::kMember, Kind::kMaxName);
  if (!name) return name.error();
  return EntityResource<T>(call.snapshot(), *name);
}

// The ARN CreateUser/CreateGroup/CreateRole/CreatePolicy will give: Path + name.
Result<std::string> NewEntity(const IamCall& call, std::string_view noun, std::string_view param,
                              std::string_view member, size_t max_name) {
  auto name = call.Name(param, member, max_name);
  if (!name) return name.error();
  auto path = call.Path();
  if (!path) return path.error();
  return IamArn(call.account(), noun, *path, *name);
}

// GetUser: UserName, else the caller itself (the root user has no user record, but an ARN).
Result<std::string> UserOrSelf(const IamCall& call) {
  const Principal& caller = call.principal();
  if (call.Has("UserName")) return UserResource(call.snapshot(), call.Param("UserName"));
  if (caller.IsRoot()) return caller.arn;
  if (caller.user_name.empty()) {
    return MakeError(ErrorCode::kValidationError,
                     "Must specify userName when calling with non-User credentials");
  }
  return UserResource(call.snapshot(), caller.user_name);
}

// GetAccessKeyLastUsed: the key's owner; AWS answers AccessDenied rather than NoSuchEntity to
// callers who may not read users, so that keys cannot be probed.
Result<std::string> AccessKeyUser(const IamCall& call) {
  auto id = call.Required("AccessKeyId", "accessKeyId");
  if (!id) return id.error();
  const User* user = call.snapshot().FindUserByAccessKey(*id);
  return user != nullptr ? user->arn : IamArn(call.account(), "user", "/", "");
}

Result<std::string> ResourceOf(ResourceKind kind, const IamCall& call) {
  switch (kind) {
    case ResourceKind::kAny: return std::string("*");
    case ResourceKind::kUser: return ExistingEntity<User>(call);
    case ResourceKind::kUserOrCaller: {
      auto name = UserNameOrCaller(call);
      if (!name) return name.error();
      return UserResource(call.snapshot(), *name);
    }
    case ResourceKind::kUserOrSelf: return UserOrSelf(call);
    case ResourceKind::kNewUser: return NewEntity(call, "user", "UserName", "userName", 64);
    case ResourceKind::kAllUsers: return IamArn(call.account(), "user", "/", "");
    case ResourceKind::kGroup: return ExistingEntity<Group>(call);
    case ResourceKind::kNewGroup: return NewEntity(call, "group", "GroupName", "groupName", 128);
    case ResourceKind::kAllGroups: return IamArn(call.account(), "group", "/", "");
    case ResourceKind::kRole: return ExistingEntity<Role>(call);
    case ResourceKind::kNewRole: return NewEntity(call, "role", "RoleName", "roleName", 64);
    case ResourceKind::kAllRoles: return IamArn(call.account(), "role", "/", "");
    case ResourceKind::kRoleOrAny:
      if (call.Has("RoleName")) return ExistingEntity<Role>(call);
      return std::string("*");
    case ResourceKind::kPolicy: return call.Required("PolicyArn", "policyArn");
    case ResourceKind::kNewPolicy: return NewEntity(call, "policy", "PolicyName", "policyName", 128);
    case ResourceKind::kOidcProvider:
      return call.Required("OpenIDConnectProviderArn", "openIDConnectProviderArn");
    case ResourceKind::kNewOidcProvider: {
      auto url = handlers::ReadProviderUrl(call);
      if (!url) return url.error();
      return OidcProviderArn(call.account(), oidc::ProviderKeyOf(*url));
    }
    case ResourceKind::kPolicySource: return call.Required("PolicySourceArn", "policySourceArn");
    case ResourceKind::kAccessKeyUser: return AccessKeyUser(call);
    case ResourceKind::kNone:
    case ResourceKind::kS3Service:
    case ResourceKind::kBucket:
    case ResourceKind::kObject: break;
  }
  return MakeError(ErrorCode::kInternalError, "IAM endpoint without an IAM resource kind");
}

// A caller whose account closed after its credential resolved (or an unsigned caller, which
// query::AuthorizeCall refuses before this).
Error ClosedAccount() {
  return MakeError(ErrorCode::kAccessDenied, "The caller's account is closed.");
}

}  // namespace

IamService::IamService(IdentityStore& store, KeyUsageSources usage, const Clock& clock,
                       Random& random, const LiveSessionSource* sessions)
    : store_(store), usage_(usage), clock_(clock), random_(random), sessions_(sessions) {}

std::string_view IamService::xml_namespace() const { return kIamNamespace; }

const policy::EndpointRule* IamService::Find(std::string_view action) const {
  return policy::FindEndpoint<Handler>(kEndpoints, action);
}

Result<std::optional<std::string>> IamService::Resource(const policy::EndpointRule& endpoint,
                                                        const query::QueryCall& call) const {
  IamEnv env{store_, usage_, clock_, random_, sessions_};
  IamCall iam_call(call, env);
  if (!iam_call.has_account()) return ClosedAccount();
  auto resource = ResourceOf(endpoint.resource, iam_call);
  if (!resource) return resource.error();
  return std::optional<std::string>(std::move(*resource));
}

boost::asio::awaitable<Result<std::string>> IamService::Handle(const policy::EndpointRule& endpoint,
                                                               const query::QueryCall& call) {
  IamEnv env{store_, usage_, clock_, random_, sessions_};
  IamCall iam_call(call, env);
  if (!iam_call.has_account()) co_return ClosedAccount();
  co_return co_await static_cast<const Entry&>(endpoint).handler(iam_call);
}

}  // namespace kura::iam
