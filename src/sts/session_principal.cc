#include "sts/session_principal.h"

#include "policy/arn.h"
#include "policy/policy.h"

namespace kura::sts {
namespace {

SessionInfo SessionInfoOf(const SessionClaims& c) {
  SessionInfo s;
  s.role_id = c.role_id;
  s.role_arn = c.role_arn;
  s.role_name = c.role_name;
  s.session_name = c.session_name;
  s.issued_at = c.issued_at;
  s.expires_at = c.expires_at;
  s.source_identity = c.source_identity;
  s.tags = c.tags;
  s.transitive_tag_keys = c.transitive_tag_keys;
  s.chained = c.chained;
  s.session_policy_arns = c.policy_arns;
  s.federated_provider = c.web_identity_provider_arn;
  s.web_identity_context = c.web_identity_context;
  return s;
}

}  // namespace

std::string AssumedRoleId(const SessionClaims& claims) {
  return claims.role_id + ":" + claims.session_name;
}

Result<std::shared_ptr<const Principal>> PrincipalForSession(const SessionClaims& claims) {
  auto p = std::make_shared<Principal>();
  p->account_id = claims.account_id;
  p->access_key_id = claims.access_key_id;
  switch (claims.kind) {
    case SessionKind::kAssumedRole:
    case SessionKind::kWebIdentity:
      p->type = PrincipalType::kAssumedRole;
      p->arn = policy::AssumedRoleSessionArn(claims.account_id, claims.role_name,
                                             claims.session_name);
      p->user_id = AssumedRoleId(claims);
      break;
    case SessionKind::kUserSession:
      p->type = PrincipalType::kUser;
      p->arn = claims.caller_arn;
      p->user_id = claims.caller_user_id;
      p->user_name = claims.caller_user_name;
      break;
    case SessionKind::kRootSession:
      p->type = PrincipalType::kRoot;
      p->arn = claims.caller_arn;
      p->user_id = claims.account_id;
      break;
    default:
      return MakeError(ErrorCode::kInvalidToken);
  }
  p->session = SessionInfoOf(claims);
  p->session->has_session_policy = !claims.session_policy.empty();
  return std::shared_ptr<const Principal>(std::move(p));
}

Result<std::shared_ptr<const policy::CompiledPolicy>> SessionPolicyOf(const SessionClaims& claims) {
  if (claims.session_policy.empty()) return std::shared_ptr<const policy::CompiledPolicy>();
  auto compiled =
      policy::ParsePolicy(claims.session_policy, policy::PolicyKind::kSession, "session-policy",
                          claims.account_id);
  if (!compiled) return MakeError(ErrorCode::kInvalidToken);
  return std::shared_ptr<const policy::CompiledPolicy>(std::move(*compiled));
}

}  // namespace kura::sts
