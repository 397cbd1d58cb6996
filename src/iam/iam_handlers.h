// The IAM operation handlers, one function per action, grouped by the file that defines them.
// Each authorizes, validates, applies and answers (see iam_call.h). Thread-safety: as IamCall.
#pragma once

#include "iam/iam_call.h"

// The table: X(Action) for every implemented action; iam_service.cc derives its dispatch
// from it, and each family's .cc defines the functions.
#define KURA_IAM_ACTIONS(X)                                                                    \
  /* users.cc */ X(CreateUser) X(GetUser) X(ListUsers) X(UpdateUser) X(DeleteUser)             \
  /* access_keys.cc */ X(CreateAccessKey) X(ListAccessKeys) X(UpdateAccessKey)                 \
  X(DeleteAccessKey) X(GetAccessKeyLastUsed)                                                   \
  /* groups.cc */ X(CreateGroup) X(GetGroup) X(ListGroups) X(UpdateGroup) X(DeleteGroup)       \
  X(AddUserToGroup) X(RemoveUserFromGroup) X(ListGroupsForUser)                                \
  /* policies.cc */ X(CreatePolicy) X(GetPolicy) X(ListPolicies) X(DeletePolicy)               \
  X(ListEntitiesForPolicy)                                                                     \
  /* policy_versions.cc */ X(CreatePolicyVersion) X(GetPolicyVersion) X(ListPolicyVersions)    \
  X(SetDefaultPolicyVersion) X(DeletePolicyVersion)                                            \
  /* attachments.cc */ X(AttachUserPolicy) X(DetachUserPolicy) X(ListAttachedUserPolicies)     \
  X(AttachGroupPolicy) X(DetachGroupPolicy) X(ListAttachedGroupPolicies) X(AttachRolePolicy)   \
  X(DetachRolePolicy) X(ListAttachedRolePolicies)                                              \
  /* inline_policies.cc */ X(PutUserPolicy) X(GetUserPolicy) X(DeleteUserPolicy)               \
  X(ListUserPolicies) X(PutGroupPolicy) X(GetGroupPolicy) X(DeleteGroupPolicy)                 \
  X(ListGroupPolicies) X(PutRolePolicy) X(GetRolePolicy) X(DeleteRolePolicy)                   \
  X(ListRolePolicies)                                                                          \
  /* roles.cc */ X(CreateRole) X(GetRole) X(ListRoles) X(UpdateRole) X(UpdateRoleDescription)  \
  X(UpdateAssumeRolePolicy) X(DeleteRole)                                                      \
  /* boundaries.cc */ X(PutUserPermissionsBoundary) X(DeleteUserPermissionsBoundary)           \
  X(PutRolePermissionsBoundary) X(DeleteRolePermissionsBoundary)                               \
  /* tags.cc */ X(TagUser) X(UntagUser) X(ListUserTags) X(TagRole) X(UntagRole)                \
  X(ListRoleTags) X(TagPolicy) X(UntagPolicy) X(ListPolicyTags)                                \
  /* account_details.cc */ X(GetAccountAuthorizationDetails)                                   \
  /* simulate.cc */ X(SimulatePrincipalPolicy) X(SimulateCustomPolicy)                        \
  /* oidc_providers.cc */ X(CreateOpenIDConnectProvider) X(GetOpenIDConnectProvider)           \
  X(ListOpenIDConnectProviders) X(DeleteOpenIDConnectProvider)                                 \
  X(AddClientIDToOpenIDConnectProvider) X(RemoveClientIDFromOpenIDConnectProvider)             \
  X(UpdateOpenIDConnectProviderThumbprint)

namespace kura::iam::handlers {

#define KURA_IAM_DECLARE(name) net::awaitable<Result<std::string>> name(IamCall& call);
KURA_IAM_ACTIONS(KURA_IAM_DECLARE)
#undef KURA_IAM_DECLARE

}  // namespace kura::iam::handlers
