// What every credential-issuing STS operation shares: fresh claims (new ASIA… key and secret,
// issue and expiry times in whole seconds) and the <Credentials> element of the response
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html; Expiration as ISO
// 8601 "2026-11-28T18:00:00Z"). Thread-safety: as the env's Random.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "common/xml_writer.h"
#include "sts/role_directory.h"
#include "sts/session_claims.h"
#include "sts/sts_service.h"

namespace kura::sts {

// Claims of `kind` in `account_id` (a role session's is the role's account, a GetSessionToken
// session's the caller's), issued now (truncated to the second) and lasting `duration`, with
// fresh credentials.
SessionClaims NewSessionClaims(const StsEnv& env, SessionKind kind, std::chrono::seconds duration,
                               std::string_view account_id);

// The account of a role ARN (arn:aws:iam::ACCT:role/…): the account its sessions belong to.
std::string RoleAccount(const RoleInfo& role);

// <Credentials><AccessKeyId/><SecretAccessKey/><SessionToken/><Expiration/></Credentials>
void WriteCredentials(xml::Writer& w, const SessionClaims& claims, std::string_view token);

// <ResponseMetadata><RequestId/></ResponseMetadata>, then the document.
std::string FinishResponse(xml::Writer& w, std::string_view request_id);

// The lifetime of a role session: the requested DurationSeconds (default 3600, capped by the
// role's MaxSessionDuration) and, for role chaining, at most one hour — with AWS's
// ValidationError messages when the request asks for more.
Result<std::chrono::seconds> RoleSessionDuration(const RoleInfo& role,
                                                 std::optional<int64_t> requested, bool chained);
// InvalidParameterValue unless every PolicyArns entry names an existing managed policy.
Result<void> CheckPolicyArnsExist(const RoleDirectory& roles, const std::vector<std::string>& arns);

// Tells env.config.on_issued of the issued session and records it in env.sessions (each if
// any); `issuer_arn`: who asked for it.
void RecordIssued(const StsEnv& env, const SessionClaims& claims, std::string_view issuer_arn);

// AccessDenied "User: CALLER is not authorized to perform: ACTION on resource: RESOURCE".
Error NotAuthorized(const Principal& caller, std::string_view action, std::string_view resource);

}  // namespace kura::sts
