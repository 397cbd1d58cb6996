// The IAM operation handlers, one function per action, grouped by the file that defines them;
// iam_service.cc's endpoint table names each with its resource kind. The pipeline has
// authorized the call before a handler runs; a handler validates, applies and answers (see
// iam_call.h). Thread-safety: as IamCall.
#pragma once

#include "iam/iam_call.h"

namespace kura::iam::handlers {

using Reply = net::awaitable<Result<std::string>>;

// users.cc
Reply CreateUser(IamCall& call);
Reply GetUser(IamCall& call);
Reply ListUsers(IamCall& call);
Reply UpdateUser(IamCall& call);
Reply DeleteUser(IamCall& call);
// access_keys.cc
Reply CreateAccessKey(IamCall& call);
Reply ListAccessKeys(IamCall& call);
Reply UpdateAccessKey(IamCall& call);
Reply DeleteAccessKey(IamCall& call);
Reply GetAccessKeyLastUsed(IamCall& call);
// groups.cc
Reply CreateGroup(IamCall& call);
Reply GetGroup(IamCall& call);
Reply ListGroups(IamCall& call);
Reply UpdateGroup(IamCall& call);
Reply DeleteGroup(IamCall& call);
Reply AddUserToGroup(IamCall& call);
Reply RemoveUserFromGroup(IamCall& call);
Reply ListGroupsForUser(IamCall& call);
// policies.cc
Reply CreatePolicy(IamCall& call);
Reply GetPolicy(IamCall& call);
Reply ListPolicies(IamCall& call);
Reply DeletePolicy(IamCall& call);
Reply ListEntitiesForPolicy(IamCall& call);
// policy_versions.cc
Reply CreatePolicyVersion(IamCall& call);
Reply GetPolicyVersion(IamCall& call);
Reply ListPolicyVersions(IamCall& call);
Reply SetDefaultPolicyVersion(IamCall& call);
Reply DeletePolicyVersion(IamCall& call);
// attachments.cc
Reply AttachUserPolicy(IamCall& call);
Reply DetachUserPolicy(IamCall& call);
Reply ListAttachedUserPolicies(IamCall& call);
Reply AttachGroupPolicy(IamCall& call);
Reply DetachGroupPolicy(IamCall& call);
Reply ListAttachedGroupPolicies(IamCall& call);
Reply AttachRolePolicy(IamCall& call);
Reply DetachRolePolicy(IamCall& call);
Reply ListAttachedRolePolicies(IamCall& call);
// inline_policies.cc
Reply PutUserPolicy(IamCall& call);
Reply GetUserPolicy(IamCall& call);
Reply DeleteUserPolicy(IamCall& call);
Reply ListUserPolicies(IamCall& call);
Reply PutGroupPolicy(IamCall& call);
Reply GetGroupPolicy(IamCall& call);
Reply DeleteGroupPolicy(IamCall& call);
Reply ListGroupPolicies(IamCall& call);
Reply PutRolePolicy(IamCall& call);
Reply GetRolePolicy(IamCall& call);
Reply DeleteRolePolicy(IamCall& call);
Reply ListRolePolicies(IamCall& call);
// roles.cc
Reply CreateRole(IamCall& call);
Reply GetRole(IamCall& call);
Reply ListRoles(IamCall& call);
Reply UpdateRole(IamCall& call);
Reply UpdateRoleDescription(IamCall& call);
Reply UpdateAssumeRolePolicy(IamCall& call);
Reply DeleteRole(IamCall& call);
// sessions.cc (a kura extension)
Reply ListSessions(IamCall& call);
// boundaries.cc
Reply PutUserPermissionsBoundary(IamCall& call);
Reply DeleteUserPermissionsBoundary(IamCall& call);
Reply PutRolePermissionsBoundary(IamCall& call);
Reply DeleteRolePermissionsBoundary(IamCall& call);
// tags.cc
Reply TagUser(IamCall& call);
Reply UntagUser(IamCall& call);
Reply ListUserTags(IamCall& call);
Reply TagRole(IamCall& call);
Reply UntagRole(IamCall& call);
Reply ListRoleTags(IamCall& call);
Reply TagPolicy(IamCall& call);
Reply UntagPolicy(IamCall& call);
Reply ListPolicyTags(IamCall& call);
// account_details.cc
Reply GetAccountAuthorizationDetails(IamCall& call);
// simulate.cc
Reply SimulatePrincipalPolicy(IamCall& call);
Reply SimulateCustomPolicy(IamCall& call);
// oidc_providers.cc
Reply CreateOpenIDConnectProvider(IamCall& call);
Reply GetOpenIDConnectProvider(IamCall& call);
Reply ListOpenIDConnectProviders(IamCall& call);
Reply DeleteOpenIDConnectProvider(IamCall& call);
Reply AddClientIDToOpenIDConnectProvider(IamCall& call);
Reply RemoveClientIDFromOpenIDConnectProvider(IamCall& call);
Reply UpdateOpenIDConnectProviderThumbprint(IamCall& call);

// CreateOpenIDConnectProvider's Url, validated as AWS does (oidc_providers.cc).
Result<std::string> ReadProviderUrl(const IamCall& call);

}  // namespace kura::iam::handlers
