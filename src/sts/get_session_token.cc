// GetSessionToken: temporary credentials for an IAM user or the account root that act as the
// caller itself (same identity, same policies), e.g. to hand out short-lived keys.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
//  - DurationSeconds 900..129600 (the minimum is --sts-min-duration), default 43200; the root
//    user's sessions are capped at 3600 ("If the duration is longer than one hour, the session
//    for AWS account owners defaults to one hour").
//  - Not callable with session credentials; no permission is needed otherwise.
//  - kura has no MFA devices: a TokenCode never verifies.
#include "common/limits.h"
#include "sts/session_issue.h"
#include "sts/sts_params.h"

namespace kura::sts {
namespace {

constexpr int64_t kDefaultUserSessionSeconds = 43200;

Result<std::chrono::seconds> DurationFor(const StsEnv& env, const query::QueryCall& call,
                                         bool root) {
  auto requested = IntParam(call, "DurationSeconds");
  if (!requested) return requested.error();
  Validator v;
  if (*requested) {
    v.Range("durationSeconds", **requested, env.config.min_duration_seconds,
            limits::kMaxGetSessionTokenSeconds);
  }
  if (call.Has("SerialNumber")) {
    v.Text("serialNumber", call.Param("SerialNumber"), 9, 256, "[\\w+=/:,.@-]*", "+=/:,.@-");
  }
  if (call.Has("TokenCode")) v.Text("tokenCode", call.Param("TokenCode"), 6, 6, "[\\d]*", "");
  KURA_TRY(v.Finish());
  int64_t seconds = requested->value_or(root ? limits::kDefaultSessionSeconds
                                             : kDefaultUserSessionSeconds);
  if (root && seconds > limits::kDefaultSessionSeconds) seconds = limits::kDefaultSessionSeconds;
  return std::chrono::seconds(seconds);
}

}  // namespace

Result<std::string> GetSessionToken(const StsEnv& env, const query::QueryCall& call) {
  const Principal& caller = *call.principal;
  if (caller.session) {
    return MakeError(ErrorCode::kAccessDenied,
                     "Cannot call GetSessionToken with session credentials");
  }
  bool root = caller.IsRoot();
  if (!root && caller.type != PrincipalType::kUser) {
    return NotAuthorized(caller, "sts:GetSessionToken", caller.arn);
  }
  auto duration = DurationFor(env, call, root);
  if (!duration) return duration.error();
  if (call.Has("TokenCode") || call.Has("SerialNumber")) {
    return MakeError(ErrorCode::kAccessDenied,
                     "MultiFactorAuthentication failed with invalid MFA one time pass code.");
  }

  SessionClaims claims = NewSessionClaims(
      env, root ? SessionKind::kRootSession : SessionKind::kUserSession, *duration,
      caller.account_id);
  claims.caller_arn = caller.arn;
  claims.caller_user_id = caller.user_id;
  claims.caller_user_name = caller.user_name;
  auto token = env.codec.Seal(claims);
  if (!token) return token.error();

  xml::Writer w("GetSessionTokenResponse", kStsNamespace);
  w.Open("GetSessionTokenResult");
  WriteCredentials(w, claims, *token);
  w.Close("GetSessionTokenResult");
  std::string response = FinishResponse(w, call.request_id);
  RecordIssued(env, claims, caller.arn);
  return response;
}

}  // namespace kura::sts
