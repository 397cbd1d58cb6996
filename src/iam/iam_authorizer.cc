#include "iam/iam_authorizer.h"

#include <algorithm>

#include "common/text.h"
#include "policy/arn.h"
#include "policy/context_keys.h"
#include "policy/resolved_identity.h"

namespace kura::iam {
namespace {

std::vector<std::pair<std::string, std::string>> TagPairs(const std::vector<Tag>& tags) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(tags.size());
  for (const Tag& t : tags) out.emplace_back(t.key, t.value);
  return out;
}

void AddS3Keys(const Principal& principal, const policy::RequestAttributes& facts,
               std::string_view resource_account, policy::RequestContext& context) {
  auto set = [&context](const char* key, std::string_view value) {
    if (!value.empty()) context.Set(key, std::string(value));
  };
  set("s3:prefix", facts.prefix);
  set("s3:delimiter", facts.delimiter);
  set("s3:max-keys", facts.max_keys);
  set("s3:x-amz-content-sha256", facts.content_sha256);
  set("s3:authType", facts.auth_type);
  set("s3:ResourceAccount", resource_account);
  if (!principal.IsAnonymous()) context.Set("s3:signatureversion", "AWS4-HMAC-SHA256");
}

// The policies that apply to the principal, resolved in one snapshot.
struct Gathered {
  policy::AuthorizationInput input;
  // The principal's own tags, converted only when a policy reads the context.
  const std::vector<Tag>* tags = nullptr;
  const std::vector<std::pair<std::string, std::string>>* resolved_tags = nullptr;
  bool known = true;

  std::vector<std::pair<std::string, std::string>> TagList() const {
    if (resolved_tags != nullptr) return *resolved_tags;
    return tags != nullptr ? TagPairs(*tags) : std::vector<std::pair<std::string, std::string>>{};
  }
};

void AddSessionPolicies(const IdentitySnapshot& snapshot, const SessionInfo& session,
                        std::vector<const policy::CompiledPolicy*>& out) {
  for (const std::string& arn : session.session_policy_arns) {
    const policy::CompiledPolicy* p = snapshot.FindCompiledPolicy(arn);
    out.push_back(p != nullptr ? p : &policy::AllowsNothing());
  }
}

// A role session's policies as its credential resolver found them: no lookup.
Gathered FromResolved(const policy::ResolvedIdentity& resolved) {
  Gathered g;
  g.input.identity_policies.assign(resolved.identity.begin(), resolved.identity.end());
  g.input.permissions_boundary = resolved.boundary;
  g.input.session_policies = resolved.session_policies;
  g.resolved_tags = &resolved.tags;
  return g;
}

// A principal without an account to look in: anonymous, or one whose account is gone.
Gathered Gather(const Principal& principal) {
  Gathered g;
  g.known = principal.IsAnonymous();
  return g;
}

Gathered Gather(const IdentitySnapshot& snapshot, const Principal& principal) {
  Gathered g;
  switch (principal.type) {
    case PrincipalType::kRoot:
      g.input.is_root = true;
      return g;
    case PrincipalType::kAnonymous:
      return g;
    case PrincipalType::kUser: {
      const User* user = snapshot.FindUser(principal.user_name);
      if (user == nullptr || (!principal.user_id.empty() && user->id != principal.user_id)) {
        g.known = false;
        return g;
      }
      const EffectivePolicies& e = snapshot.ForUser(*user);
      g.input.identity_policies = e.identity;
      g.input.permissions_boundary = e.boundary;
      g.tags = &user->tags;
      if (principal.session) AddSessionPolicies(snapshot, *principal.session, g.input.session_policies);
      return g;
    }
    case PrincipalType::kAssumedRole: {
      // Without what its credential resolution found, a session's compiled inline policy is
      // not at hand: deny rather than authorize it without its restriction.
      if (principal.session && principal.session->has_session_policy) break;
      const Role* role =
          principal.session ? snapshot.FindRoleByArn(principal.session->role_arn) : nullptr;
      if (role == nullptr || (!principal.session->role_id.empty() &&
                              role->id != principal.session->role_id)) {
        g.known = false;
        return g;
      }
      const EffectivePolicies& e = snapshot.ForRole(*role);
      g.input.identity_policies = e.identity;
      g.input.permissions_boundary = e.boundary;
      g.tags = &role->tags;
      AddSessionPolicies(snapshot, *principal.session, g.input.session_policies);
      return g;
    }
    case PrincipalType::kFederatedUser:
      break;
  }
  g.known = false;
  return g;
}

bool ReadsContext(const policy::AuthorizationInput& input) {
  auto reads = [](const policy::CompiledPolicy* p) { return p != nullptr && p->reads_context(); };
  return reads(input.resource_policy) || reads(input.permissions_boundary) ||
         std::ranges::any_of(input.identity_policies, reads) ||
         std::ranges::any_of(input.session_policies, reads);
}

// A principal of another account than the resource's (anonymous callers belong to none).
bool FromAnotherAccount(const Principal& principal, std::string_view resource_account) {
  return !resource_account.empty() && !principal.IsAnonymous() &&
         principal.account_id != resource_account;
}

std::string DisplayArn(const Principal& principal) {
  if (principal.IsAnonymous()) return "anonymous";
  return principal.arn;
}

}  // namespace

policy::RequestContext IamAuthorizer::BuildContext(const Principal& principal,
                                                   const policy::RequestAttributes& facts,
                                                   std::vector<std::pair<std::string, std::string>> tags,
                                                   std::string_view resource_account) const {
  policy::RequestFacts request_facts;
  request_facts.now = clock_.Now();
  request_facts.secure_transport = facts.secure_transport;
  request_facts.source_ip = std::string(facts.source_ip);
  request_facts.user_agent = std::string(facts.user_agent);
  request_facts.referer = std::string(facts.referer);
  request_facts.region = region_;
  request_facts.principal_tags = std::move(tags);
  request_facts.organization_id = organization_id_;
  request_facts.resource_account = std::string(resource_account);
  policy::RequestContext context = policy::BuildRequestContext(principal, request_facts);
  AddS3Keys(principal, facts, resource_account, context);
  return context;
}

IamAuthorizer::IamAuthorizer(const IdentitySource& identities, const Clock& clock,
                             std::string region, policy::ResourcePolicySource* bucket_policies,
                             const policy::AccessControlSource* acls)
    : identities_(identities),
      clock_(clock),
      region_(std::move(region)),
      bucket_policies_(bucket_policies),
      acls_(acls),
      organization_id_(policy::OrganizationId(identities.Directory()->management_account_id())) {}

Explanation IamAuthorizer::Explain(const Principal& principal, std::string_view action,
                                   std::string_view resource,
                                   const policy::RequestAttributes& facts,
                                   const ContextEntries& extra_context) const {
  return ExplainWith(principal, action, resource, facts, BucketPolicyFor(principal, action, facts),
                     extra_context);
}

Explanation IamAuthorizer::ExplainWith(const Principal& principal, std::string_view action,
                                       std::string_view resource,
                                       const policy::RequestAttributes& facts,
                                       const policy::ResourcePolicy& bucket_policy,
                                       const ContextEntries& extra_context) const {
  const policy::ResolvedIdentity* resolved = policy::ResolvedFor(facts.grants, principal);
  std::shared_ptr<const IdentitySnapshot> snapshot;
  if (resolved == nullptr && !principal.IsAnonymous()) {
    snapshot = identities_.Current(principal.account_id);
    // A session (GetSessionToken) outliving its account's closing acts for nobody.
    if (snapshot != nullptr && !snapshot->state().account->active()) snapshot = nullptr;
  }
  Gathered g = resolved != nullptr ? FromResolved(*resolved)
               : snapshot != nullptr  ? Gather(*snapshot, principal)
                                      : Gather(principal);
  if (!g.known) {
    return {policy::AuthorizationResult{policy::Decision::kImplicitDeny, std::nullopt,
                                        "because no identity-based policy allows the " +
                                            std::string(action) + " action"},
            false};
  }
  g.input.resource_policy = bucket_policy.policy.get();
  g.input.resource_account = bucket_policy.owner_account;
  if (bucket_policy.restrict_public) {
    g.input.resource_policy_only_for_account = bucket_policy.owner_account;
  }

  // Most policies (and no policy at all: the account root without a bucket policy) never read
  // the condition context; building it is most of an authorization's cost.
  policy::RequestContext context;
  if (ReadsContext(g.input)) {
    context = BuildContext(principal, facts, g.TagList(), bucket_policy.owner_account);
    for (const auto& [key, values] : extra_context) context.SetMulti(key, values);
  }
  policy::Request request{action, resource, principal, context};
  return {policy::Authorize(g.input, request), true};
}

policy::ResourcePolicy IamAuthorizer::BucketPolicyFor(const Principal& principal,
                                                      std::string_view action,
                                                      const policy::RequestAttributes& facts) const {
  if (bucket_policies_ == nullptr || facts.bucket.empty()) return {};
  policy::ResourcePolicy bucket_policy = bucket_policies_->ForBucket(facts.bucket);
  // CreateBucket of a name another account holds is no request on that account's bucket: the
  // store refuses it with BucketAlreadyExists, as S3 does, whatever the bucket's policy says.
  if (FromAnotherAccount(principal, bucket_policy.owner_account) &&
      EqualsIgnoreAsciiCase(action, "s3:CreateBucket")) {
    return {};
  }
  return bucket_policy;
}

bool IamAuthorizer::ClosedAccount(const Principal& principal, std::string_view owner) const {
  // A closed account's own principals cannot sign (their keys stopped resolving), so only a
  // request from elsewhere can reach its bucket: the directory is asked only then.
  if (owner.empty() || (!principal.IsAnonymous() && principal.account_id == owner)) return false;
  std::shared_ptr<const IdentityDirectory> directory = identities_.Directory();
  const std::shared_ptr<const IdentitySnapshot>* account = directory->Find(owner);
  return account != nullptr && !(*account)->state().account->active();
}

bool IamAuthorizer::AclAllows(const Principal& principal, std::string_view action,
                              std::string_view resource, const policy::RequestAttributes& facts,
                              std::string_view owner) const {
  if (acls_ == nullptr) return false;
  if (!FromAnotherAccount(principal, owner) || principal.IsRoot()) {
    return acls_->AclGrants(principal, action, resource, facts);
  }
  // Across accounts a grant names the principal's account (its canonical id): it lets the
  // account's users and roles in only as far as their own policies allow, as a bucket policy
  // naming the account does (AWS's cross-account rule).
  Explanation own = ExplainWith(principal, action, resource, facts, {});
  if (own.result.decision != policy::Decision::kAllow) return false;
  Principal account;
  account.type = PrincipalType::kRoot;
  account.account_id = principal.account_id;
  return acls_->AclGrants(account, action, resource, facts);
}

Result<void> IamAuthorizer::Authorize(const Principal& principal, std::string_view action,
                                      std::string_view resource,
                                      const policy::RequestAttributes& facts) const {
  policy::ResourcePolicy bucket_policy = BucketPolicyFor(principal, action, facts);
  if (ClosedAccount(principal, bucket_policy.owner_account)) {
    return MakeError(ErrorCode::kAllAccessDisabled);
  }
  Explanation e = ExplainWith(principal, action, resource, facts, bucket_policy);
  if (e.result.decision == policy::Decision::kAllow) return Ok();
  // Only an implicit deny leaves room for an ACL grant; a principal that no longer exists has none.
  if (e.result.decision == policy::Decision::kImplicitDeny && e.principal_known &&
      AclAllows(principal, action, resource, facts, bucket_policy.owner_account)) {
    return Ok();
  }
  return DeniedError(principal, action, resource, e.result);
}

Error IamAuthorizer::DeniedError(const Principal& principal, std::string_view action,
                                 std::string_view resource,
                                 const policy::AuthorizationResult& result) {
  std::string message = "User: " + DisplayArn(principal) +
                        " is not authorized to perform: " + std::string(action) +
                        " on resource: " + std::string(resource);
  if (!result.reason.empty()) message += " " + result.reason;
  return MakeError(ErrorCode::kAccessDenied, std::move(message));
}

}  // namespace kura::iam
