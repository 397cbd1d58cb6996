// The policy-based Authorizer every request passes through (S3 operations in the pipeline, IAM
// calls in the pipeline too, from their endpoint-table entry), evaluating as AWS documents
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
//   account root  — allowed unless a bucket policy explicitly denies;
//   IAM user      — the user's inline + attached policies and its groups' (identity), the user's
//                   permissions boundary, and the bucket policy;
//   role session  — the role's current policies and boundary and the session's inline policy
//                   and managed policy ARNs as session policies (a session policy ARN that no
//                   longer exists allows nothing), as the session resolver found them for this
//                   request (RequestAttributes::grants, a policy::ResolvedIdentity); without
//                   them, looked up by role ARN (a deleted role denies; a session whose inline
//                   policy is not at hand denies);
//   anonymous     — only a bucket policy (or an ACL) can allow.
// When the policies deny implicitly (never after an explicit Deny), an access control list may
// still allow: a grant counts as a resource-based policy Allow for its grantees
// (policy::AccessControlSource). A public bucket policy under Block Public Access's
// RestrictPublicBuckets grants nothing outside the bucket owner's account (policy::ResourcePolicy).
// Accounts (#15): a bucket's owner is the resource's account; a principal of another account
// needs the bucket policy (or an ACL grant to its account) AND its own account's policies (its
// root: implicitly), as policy::Authorize says. A closed account's buckets answer
// AllAccessDisabled to everyone. CreateBucket of a name another account holds ignores that
// bucket (the store answers BucketAlreadyExists).
// Everything else is denied. The condition context is built only when one of the policies that
// apply reads it (a Condition or a policy variable). Condition keys: the global aws:* keys (policy::BuildRequestContext)
// plus s3:prefix, s3:delimiter, s3:max-keys, s3:x-amz-content-sha256, s3:authType and
// s3:signatureversion from RequestAttributes, aws:ResourceAccount and s3:ResourceAccount (the
// bucket owner) and aws:PrincipalOrgID (kura's one organization). No JSON is parsed and no database read here.
// Thread-safety: concurrent calls are safe (the snapshot is immutable).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "iam/identity_model.h"
#include "policy/access_control_source.h"
#include "policy/authorizer.h"
#include "policy/policy.h"
#include "policy/resource_policy_source.h"

namespace kura::iam {

using ContextEntries = std::vector<std::pair<std::string, std::vector<std::string>>>;

// A decision with what decided it, for SimulatePrincipalPolicy and audit.
struct Explanation {
  policy::AuthorizationResult result;
  bool principal_known = true;  // false: deleted user/role, or an unsupported principal
};

class IamAuthorizer final : public policy::Authorizer {
 public:
  // `bucket_policies` and `acls` may be null (no bucket policies, no ACLs); borrowed. `region`
  // fills aws:RequestedRegion.
  IamAuthorizer(const IdentitySource& identities, const Clock& clock, std::string region,
                policy::ResourcePolicySource* bucket_policies = nullptr,
                const policy::AccessControlSource* acls = nullptr);

  // Ok, or kAccessDenied: "User: ARN is not authorized to perform: ACTION on resource: RES
  // because no identity-based policy allows the ACTION action" (and AWS's other endings).
  Result<void> Authorize(const Principal& principal, std::string_view action,
                         std::string_view resource,
                         const policy::RequestAttributes& facts) const override;

  // The full decision from the policies (ACLs are not consulted, as IAM's policy simulator
  // does not). `extra_context` adds or overrides condition keys (key, values), as
  // SimulatePrincipalPolicy's ContextEntries do.
  Explanation Explain(const Principal& principal, std::string_view action,
                      std::string_view resource, const policy::RequestAttributes& facts,
                      const ContextEntries& extra_context = {}) const;

  // The AccessDenied error for a decision.
  static Error DeniedError(const Principal& principal, std::string_view action,
                           std::string_view resource, const policy::AuthorizationResult& result);

 private:
  // The global aws:* keys and the s3:* keys of the request (`tags`: the principal's own).
  // `resource_account`: the bucket owner (aws:ResourceAccount, s3:ResourceAccount); "" = none.
  policy::RequestContext BuildContext(const Principal& principal,
                                      const policy::RequestAttributes& facts,
                                      std::vector<std::pair<std::string, std::string>> tags,
                                      std::string_view resource_account) const;
  // The bucket's policy and owner as the request sees them (none for CreateBucket of another
  // account's name).
  policy::ResourcePolicy BucketPolicyFor(const Principal& principal, std::string_view action,
                                         const policy::RequestAttributes& facts) const;
  // Explain with the bucket's policy and owner already looked up ({}: none, the principal's own
  // side alone).
  Explanation ExplainWith(const Principal& principal, std::string_view action,
                          std::string_view resource, const policy::RequestAttributes& facts,
                          const policy::ResourcePolicy& bucket_policy,
                          const ContextEntries& extra_context = {}) const;
  // Whether `owner` (a bucket's owner account) is a closed account (AllAccessDisabled).
  bool ClosedAccount(const Principal& principal, std::string_view owner) const;
  // Whether an ACL grants the request (after the policies denied implicitly); `owner`: the
  // bucket's owner account.
  bool AclAllows(const Principal& principal, std::string_view action, std::string_view resource,
                 const policy::RequestAttributes& facts, std::string_view owner) const;

  const IdentitySource& identities_;
  const Clock& clock_;
  std::string region_;
  policy::ResourcePolicySource* bucket_policies_;
  const policy::AccessControlSource* acls_;
  std::string organization_id_;  // aws:PrincipalOrgID: kura's one organization
};

}  // namespace kura::iam
