// The Principal that requests signed with a session's credentials act as, built from the
// session token's claims (once per token: SessionCredentialResolver caches it).
//  - AssumeRole / web identity sessions: kAssumedRole, arn
//    arn:aws:sts::ACCT:assumed-role/ROLE-NAME/SESSION-NAME, aws:userid "AROA…:SESSION-NAME";
//  - GetSessionToken sessions keep the caller's identity (kUser or kRoot) with a SessionInfo.
// The inline session policy is compiled here too (SessionPolicyOf), so requests never parse JSON.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
// Thread-safety: pure.
#pragma once

#include <memory>

#include "common/error.h"
#include "common/principal.h"
#include "policy/compiled_policy.h"
#include "sts/session_claims.h"

namespace kura::sts {

// kInvalidToken if the claims are inconsistent (e.g. a session policy that no longer parses).
Result<std::shared_ptr<const Principal>> PrincipalForSession(const SessionClaims& claims);

// The session's inline policy compiled (null when it has none); kInvalidToken if it no longer
// parses. The session resolver compiles it once per cached session.
Result<std::shared_ptr<const policy::CompiledPolicy>> SessionPolicyOf(const SessionClaims& claims);

// "AROA…:SESSION-NAME", the AssumedRoleId and aws:userid of a role session.
std::string AssumedRoleId(const SessionClaims& claims);

}  // namespace kura::sts
