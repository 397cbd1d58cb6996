// AssumeRole's authorization, AWS's rule for a principal assuming a role in its own account
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html and
// reference_policies_evaluation-logic-cross-account.html): the role's trust policy, evaluated
// as the resource policy (policy::Authorize with kind kTrust), must allow the caller; a trust
// policy that names the caller itself (user ARN, session ARN) suffices, one that names the
// account (arn:aws:iam::ACCT:root) delegates to the caller's identity policies, which must then
// allow the action too; any explicit Deny (identity, boundary, the caller's session policies,
// trust) denies. Each action is checked: sts:AssumeRole always, sts:TagSession when session tags
// are passed, sts:SetSourceIdentity when the new session has a source identity.
// Condition keys beyond the global ones (policy/context_keys.h): sts:RoleSessionName,
// sts:ExternalId, aws:RequestTag/KEY, aws:TagKeys, sts:TransitiveTagKeys, sts:SourceIdentity.
// Thread-safety: pure (reads the directory).
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "common/principal.h"
#include "policy/authorizer.h"
#include "policy/request_context.h"
#include "sts/assume_role_request.h"
#include "sts/role_directory.h"

namespace kura::sts {

struct TrustCheck {
  const Principal& caller;
  const RoleInfo& role;
  const AssumeRoleRequest& request;
  std::string_view source_identity;  // the new session's (requested or inherited)
  const policy::RequestAttributes& facts;
  TimePoint now;
};

// Ok, or kAccessDenied "User: CALLER is not authorized to perform: ACTION on resource: ROLE".
Result<void> AuthorizeAssumeRole(const RoleDirectory& roles, const TrustCheck& check);

// The condition context of the check (exposed for tests).
policy::RequestContext TrustContext(const TrustCheck& check, const CallerPolicies& caller);

}  // namespace kura::sts
