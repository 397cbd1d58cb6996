// The IAM policy language: parse a JSON policy document once into a CompiledPolicy, evaluate one
// policy against a request, and authorize a request against all the policies that apply, exactly
// as AWS documents it:
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
// Pure code: nothing here knows storage or HTTP. The caller maps an operation to its action and
// resource ARN, fills a RequestContext (see context_keys.h), and gathers the policies.
// Thread-safety: CompiledPolicy is immutable; Evaluate and Authorize are pure.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/principal.h"
#include "policy/compiled_policy.h"
#include "policy/request_context.h"

namespace kura::policy {

// Parses, validates and compiles a policy document. `policy_id` names the policy in
// MatchedStatement. Errors: kMalformedPolicyDocument (kMalformedPolicy for kResource, as S3's
// PutBucketPolicy answers) with IAM's message where known, e.g. "Syntax errors in policy.",
// "Policy document should not specify a principal.", "Missing required field Principal",
// "Has prohibited field Resource", "Invalid Condition type : StringEqualz". Size limits are the
// caller's to enforce before calling. `owner_account` is the account whose policy it is (a
// bucket's owner, a user's or role's account): an IAM or STS ARN with an empty account field in
// Principal or Resource (arn:aws:iam:::user/NAME) names that account, filled in here so that
// matching costs nothing more; without it such ARNs are kept as written and match nothing.
Result<std::shared_ptr<const CompiledPolicy>> ParsePolicy(std::string_view json, PolicyKind kind,
                                                          std::string policy_id,
                                                          std::string_view owner_account = {});

// The request as the evaluator sees it. All views must outlive the call.
struct Request {
  std::string_view action;    // "s3:GetObject" (matched case-insensitively)
  std::string_view resource;  // "arn:aws:s3:::bucket/key" (matched case-sensitively)
  const Principal& principal;
  const RequestContext& context;
  // Matched by {"Federated": …} (the identity provider of AssumeRoleWithWebIdentity, e.g.
  // "arn:aws:iam::ACCT:oidc-provider/host" or "accounts.google.com"); empty otherwise.
  std::string_view federated_provider = {};
  // Matched by {"Service": …}; empty for every caller kura has today.
  std::string_view service_principal = {};
  // The requester's S3 canonical user id, matched by {"CanonicalUser": …} as its account.
  std::string_view canonical_user_id = {};
};

enum class Effect { kAllow, kDeny, kNotApplicable };

struct MatchedStatement {
  std::string policy_id;
  std::string sid;
  size_t index = 0;  // position of the statement in the document
  bool operator==(const MatchedStatement&) const = default;
};

struct StatementEval {
  Effect effect = Effect::kNotApplicable;
  std::optional<MatchedStatement> decided_by;  // the first Deny, else the first Allow
};

// Evaluates one policy: a matching Deny wins, else a matching Allow, else not applicable.
// Principal/NotPrincipal are checked for kResource and kTrust policies only.
StatementEval Evaluate(const CompiledPolicy& policy, const Request& request);

enum class Decision { kAllow, kExplicitDeny, kImplicitDeny };

struct AuthorizationInput {
  std::vector<const CompiledPolicy*> identity_policies =
      {};                                           // user's inline+managed+groups', or role's
  const CompiledPolicy* resource_policy = nullptr;  // bucket policy, or the role trust policy
  const CompiledPolicy* permissions_boundary = nullptr;
  std::vector<const CompiledPolicy*> session_policies = {};  // empty = no session policy
  bool is_root = false;                                      // also implied by principal.IsRoot()
  // Set when S3 Block Public Access's RestrictPublicBuckets applies to a public resource
  // policy: its Allow statements then grant nothing to anonymous principals nor to those of an
  // account other than this one (its Deny statements still apply). Empty: no restriction.
  std::string_view resource_policy_only_for_account = {};
  // The account that owns the resource (a bucket's owner, a role's account); empty: the
  // principal's own. A principal of another account needs both sides (Authorize below).
  std::string_view resource_account = {};
};

struct AuthorizationResult {
  Decision decision = Decision::kImplicitDeny;
  std::optional<MatchedStatement> decided_by;
  // For AccessDenied messages, AWS's wording after "… is not authorized to perform: A on
  // resource: R ": "with an explicit deny in a resource-based policy", "because no
  // identity-based policy allows the s3:GetObject action", …; for Allow, which path allowed.
  std::string reason;
};

// AWS's evaluation for a request within one account:
// 1. An explicit Deny in any identity, resource, boundary or session policy denies.
// 2. The account root user is allowed (only explicit Deny, e.g. in a bucket policy, stops it).
// 3. A resource-policy Allow that names the principal itself (user ARN, assumed-role session
//    ARN, federated-user ARN, or "*") allows, whatever the identity policies, boundary or
//    session policies say. One that names the role ARN of a session allows unless the boundary
//    or a session policy does not allow. One that names only the account delegates to the
//    identity policies (it adds nothing by itself).
// 4. Otherwise: identity Allow ∩ boundary Allow (if any) ∩ session Allow (if any).
// With resource_policy_only_for_account set, a caller outside that account is treated as if the
// resource policy allowed nothing (steps 2 and 3 do not apply to it through that policy).
// A trust policy passed as resource_policy must itself allow (roles' trust policies are the
// exception to "either side suffices"); an account-level grant there still needs identity Allow.
// Across accounts (resource_account set and not the principal's; not for anonymous callers), as
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// says: the resource policy must allow the principal (by itself, its role or its account) AND
// the principal's own account must allow it (its root always does; anyone else needs identity
// Allow ∩ boundary ∩ session policies). The root of another account is no root here.
AuthorizationResult Authorize(const AuthorizationInput& input, const Request& request);

}  // namespace kura::policy
