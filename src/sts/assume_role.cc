// AssumeRole: temporary credentials for a role, as the role's trust policy allows.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
// Order of checks: parameters (ValidationError), root callers ("Roles may not be assumed by root
// accounts."), the session policy (MalformedPolicyDocument), the role and its trust policy
// (AccessDenied, the same for a missing role), role chaining and tag rules, DurationSeconds
// against the role (ValidationError), PolicyArns, then the sealed token (PackedPolicyTooLarge).
// Role chaining (the caller is a role session): at most 1 hour, the source identity cannot
// change, and transitive session tags carry over and cannot be overridden
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-chaining).
#include "common/limits.h"
#include "policy/arn.h"
#include "policy/policy.h"
#include "sts/assume_role_request.h"
#include "sts/session_issue.h"
#include "sts/session_principal.h"
#include "sts/sts_params.h"
#include "sts/trust_evaluation.h"

namespace kura::sts {
namespace {

struct SessionTags {
  TagList tags;
  std::vector<std::string> transitive_keys;
};

// The chained caller's transitive tags, then the requested ones; a requested key may not
// override an inherited transitive one.
Result<SessionTags> MergeTags(const Principal& caller, const AssumeRoleRequest& r) {
  SessionTags out;
  if (caller.session) {
    for (const std::string& key : caller.session->transitive_tag_keys) {
      for (const auto& tag : caller.session->tags) {
        if (TagKeyEquals(tag.first, key)) out.tags.push_back(tag);
      }
      out.transitive_keys.push_back(key);
    }
  }
  for (const auto& tag : r.tags) {
    for (const auto& inherited : out.tags) {
      if (TagKeyEquals(inherited.first, tag.first)) {
        return MakeError(ErrorCode::kInvalidParameterValue,
                         "One or more of the specified session tags conflict with transitive "
                         "tags inherited from the calling session: " + tag.first);
      }
    }
    out.tags.push_back(tag);
  }
  out.transitive_keys.insert(out.transitive_keys.end(), r.transitive_tag_keys.begin(),
                             r.transitive_tag_keys.end());
  if (out.tags.size() > static_cast<size_t>(limits::kMaxSessionTags)) {
    return MakeError(ErrorCode::kValidationError,
                     "1 validation error detected: Value '[…]' at 'tags' failed to satisfy "
                     "constraint: Member must have length less than or equal to 50");
  }
  return out;
}

// The new session's source identity: set once, then sticky through role chaining.
Result<std::string> SourceIdentityFor(const Principal& caller, const AssumeRoleRequest& r) {
  std::string inherited = caller.session ? caller.session->source_identity : "";
  if (inherited.empty()) return r.source_identity;
  if (!r.source_identity.empty() && r.source_identity != inherited) {
    return MakeError(ErrorCode::kAccessDenied,
                     "User: " + caller.arn + " is not authorized to perform: "
                     "sts:SetSourceIdentity: the source identity of a role chain cannot be "
                     "changed");
  }
  return inherited;
}

std::string Render(const SessionClaims& claims, const std::string& token,
                   const AssumeRoleRequest& r, const std::string& request_id) {
  xml::Writer w("AssumeRoleResponse", kStsNamespace);
  w.Open("AssumeRoleResult");
  if (!claims.source_identity.empty()) w.Element("SourceIdentity", claims.source_identity);
  w.Open("AssumedRoleUser")
      .Element("AssumedRoleId", AssumedRoleId(claims))
      .Element("Arn", policy::AssumedRoleSessionArn(claims.account_id, claims.role_name,
                                                    claims.session_name))
      .Close("AssumedRoleUser");
  WriteCredentials(w, claims, token);
  if (r.policy || !r.policy_arns.empty() || !claims.tags.empty()) {
    w.Element("PackedPolicySize", static_cast<uint64_t>(PackedPolicySizePercent(claims)));
  }
  w.Close("AssumeRoleResult");
  return FinishResponse(w, request_id);
}

}  // namespace

Result<std::string> AssumeRole(const StsEnv& env, const query::QueryCall& call) {
  auto request = ParseAssumeRoleRequest(call, env.config);
  if (!request) return request.error();
  const AssumeRoleRequest& r = *request;
  const Principal& caller = *call.principal;
  if (caller.IsRoot()) {
    return MakeError(ErrorCode::kAccessDenied, "Roles may not be assumed by root accounts.");
  }
  if (r.mfa) {
    return MakeError(ErrorCode::kAccessDenied,
                     "MultiFactorAuthentication failed with invalid MFA one time pass code.");
  }
  if (r.policy) {
    KURA_TRY(policy::ParsePolicy(*r.policy, policy::PolicyKind::kSession, "session-policy"));
  }
  auto role = env.roles.FindRole(r.role_arn);
  if (role == nullptr) return NotAuthorized(caller, "sts:AssumeRole", r.role_arn);
  bool chained = caller.type == PrincipalType::kAssumedRole;
  auto tags = MergeTags(caller, r);
  if (!tags) return tags.error();
  auto source_identity = SourceIdentityFor(caller, r);
  if (!source_identity) return source_identity.error();
  TimePoint now = env.clock.Now();
  KURA_TRY(AuthorizeAssumeRole(env.roles, {caller, *role, r, *source_identity, call.facts, now}));
  auto duration = RoleSessionDuration(*role, r.duration_seconds, chained);
  if (!duration) return duration.error();
  KURA_TRY(CheckPolicyArnsExist(env.roles, r.policy_arns));

  SessionClaims claims =
      NewSessionClaims(env, SessionKind::kAssumedRole, *duration, RoleAccount(*role));
  claims.role_id = role->role_id;
  claims.role_arn = role->arn;
  claims.role_name = role->name;
  claims.session_name = r.session_name;
  claims.session_policy = r.policy.value_or("");
  claims.policy_arns = r.policy_arns;
  claims.tags = std::move(tags->tags);
  claims.transitive_tag_keys = std::move(tags->transitive_keys);
  claims.source_identity = *source_identity;
  claims.chained = chained;
  auto token = env.codec.Seal(claims);
  if (!token) return token.error();
  std::string response = Render(claims, *token, r, call.request_id);
  RecordIssued(env, claims, caller.arn);
  return response;
}

}  // namespace kura::sts
