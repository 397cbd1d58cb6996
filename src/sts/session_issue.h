// What every credential-issuing STS operation shares: fresh claims (new ASIA… key and secret,
// issue and expiry times in whole seconds) and the <Credentials> element of the response
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html; Expiration as ISO
// 8601 "2026-11-28T18:00:00Z"). Thread-safety: as the env's Random.
#pragma once

#include <chrono>
#include <string_view>

#include "common/xml_writer.h"
#include "sts/session_claims.h"
#include "sts/sts_service.h"

namespace kura::sts {

// Claims of `kind` for the env's account, issued now (truncated to the second) and lasting
// `duration`, with fresh credentials.
SessionClaims NewSessionClaims(const StsEnv& env, SessionKind kind, std::chrono::seconds duration);

// <Credentials><AccessKeyId/><SecretAccessKey/><SessionToken/><Expiration/></Credentials>
void WriteCredentials(xml::Writer& w, const SessionClaims& claims, std::string_view token);

// <ResponseMetadata><RequestId/></ResponseMetadata>, then the document.
std::string FinishResponse(xml::Writer& w, std::string_view request_id);

// AccessDenied "User: CALLER is not authorized to perform: ACTION on resource: RESOURCE".
Error NotAuthorized(const Principal& caller, std::string_view action, std::string_view resource);

}  // namespace kura::sts
