#include "sts/session_issue.h"

#include <algorithm>

#include "common/limits.h"
#include "common/time_format.h"
#include "policy/arn.h"

namespace kura::sts {

SessionClaims NewSessionClaims(const StsEnv& env, SessionKind kind, std::chrono::seconds duration,
                               std::string_view account_id) {
  SessionClaims claims;
  claims.kind = kind;
  claims.account_id = std::string(account_id);
  claims.issued_at = FromUnixSeconds(UnixSeconds(env.clock.Now()));
  claims.expires_at = claims.issued_at + duration;
  AssignNewCredentials(env.random, claims);
  return claims;
}

std::string RoleAccount(const RoleInfo& role) {
  auto arn = policy::ParseArn(role.arn);
  return arn ? std::string(arn->account) : std::string();
}

void WriteCredentials(xml::Writer& w, const SessionClaims& claims, std::string_view token) {
  w.Open("Credentials")
      .Element("AccessKeyId", claims.access_key_id)
      .Element("SecretAccessKey", claims.secret_access_key.Reveal())
      .Element("SessionToken", token)
      .Element("Expiration", FormatIso8601Seconds(claims.expires_at))
      .Close("Credentials");
}

std::string FinishResponse(xml::Writer& w, std::string_view request_id) {
  w.Open("ResponseMetadata").Element("RequestId", request_id).Close("ResponseMetadata");
  return w.Finish();
}

void RecordIssued(const StsEnv& env, SessionClaims&& claims, std::string issuer_arn) {
  if (env.sessions == nullptr) return;
  LiveSession session;
  session.access_key_id = std::move(claims.access_key_id);
  session.account_id = std::move(claims.account_id);
  session.role_arn = std::move(claims.role_arn);
  session.role_id = std::move(claims.role_id);
  session.session_name = std::move(claims.session_name);
  session.source_identity = std::move(claims.source_identity);
  session.issuer_arn = std::move(issuer_arn);
  session.issued_at = claims.issued_at;
  session.expires_at = claims.expires_at;
  env.sessions->Add(std::move(session));
}

Error NotAuthorized(const Principal& caller, std::string_view action, std::string_view resource) {
  return MakeError(ErrorCode::kAccessDenied, "User: " + caller.arn +
                                                 " is not authorized to perform: " +
                                                 std::string(action) + " on resource: " +
                                                 std::string(resource));
}

Result<std::chrono::seconds> RoleSessionDuration(const RoleInfo& role,
                                                 std::optional<int64_t> requested, bool chained) {
  if (!requested) {
    return std::chrono::seconds(std::min(limits::kDefaultSessionSeconds, role.max_session_seconds));
  }
  if (*requested > role.max_session_seconds) {
    return MakeError(ErrorCode::kValidationError,
                     "The requested DurationSeconds exceeds the MaxSessionDuration set for this "
                     "role.");
  }
  if (chained && *requested > limits::kMaxRoleChainingSeconds) {
    return MakeError(ErrorCode::kValidationError,
                     "The requested DurationSeconds exceeds the 1 hour session limit for roles "
                     "assumed by role chaining.");
  }
  return std::chrono::seconds(*requested);
}

Result<void> CheckPolicyArnsExist(const RoleDirectory& roles, const std::vector<std::string>& arns) {
  for (const std::string& arn : arns) {
    if (roles.FindManagedPolicy(arn) == nullptr) {
      return MakeError(ErrorCode::kInvalidParameterValue,
                       "Policy " + arn + " does not exist or is not attachable.");
    }
  }
  return Ok();
}

}  // namespace kura::sts
