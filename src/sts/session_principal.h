// The Principal that requests signed with a session's credentials act as, built from the
// session token's claims (once per token: SessionCredentialResolver caches it).
//  - AssumeRole / web identity sessions: kAssumedRole, arn
//    arn:aws:sts::ACCT:assumed-role/ROLE-NAME/SESSION-NAME, aws:userid "AROA…:SESSION-NAME";
//  - GetSessionToken sessions keep the caller's identity (kUser or kRoot) with a SessionInfo.
// The inline session policy is compiled here, so requests never parse JSON.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
// Thread-safety: pure.
#pragma once

#include <memory>

#include "common/error.h"
#include "common/principal.h"
#include "sts/session_claims.h"

namespace kura::sts {

// kInvalidToken if the claims are inconsistent (e.g. a session policy that no longer parses).
Result<std::shared_ptr<const Principal>> PrincipalForSession(const SessionClaims& claims);

// "AROA…:SESSION-NAME", the AssumedRoleId and aws:userid of a role session.
std::string AssumedRoleId(const SessionClaims& claims);

}  // namespace kura::sts
