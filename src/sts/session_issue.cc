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

void RecordIssued(const StsEnv& env, const SessionClaims& claims, std::string_view issuer_arn) {
  if (env.config.on_issued) env.config.on_issued(claims.role_arn);
  if (env.sessions == nullptr) return;
  JournalFields session;  // views: the registry copies them once, into one packed string
  session.text = {claims.access_key_id, claims.account_id,      claims.role_arn, claims.role_id,
                  claims.session_name,  claims.source_identity, issuer_arn};
  session.issued = UnixSeconds(claims.issued_at);
  session.expires = UnixSeconds(claims.expires_at);
  env.sessions->Add(session);
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
