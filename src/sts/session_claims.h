// What a session token carries: everything the server needs to authenticate and authorize a
// request made with temporary credentials, without a database read. Built by the STS handlers
// (AssumeRole, GetSessionToken, AssumeRoleWithWebIdentity), sealed by TokenCodec
// (sts/session_token.h), opened again on every request signed with an ASIA… key.
// Times are whole seconds (the token stores Unix seconds). Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/secret.h"

namespace kura::sts {

// Which STS operation made the session; fixes which of the fields below are meaningful.
// The numeric values are the token's wire values (docs/formats/session-token.md): never reuse.
enum class SessionKind : uint8_t {
  kAssumedRole = 1,  // AssumeRole: role_* and session_name set
  kUserSession = 2,  // GetSessionToken by an IAM user: caller_* set
  kRootSession = 3,  // GetSessionToken by the account root: caller_* set (caller_user_id = account)
  kWebIdentity = 4,  // AssumeRoleWithWebIdentity: role_*, session_name and web_identity_* set
};

struct SessionClaims {
  SessionKind kind = SessionKind::kAssumedRole;
  std::string access_key_id;  // ASIA… (20 characters)
  Secret secret_access_key;   // 40 characters; exists only inside the sealed token
  TimePoint issued_at;
  TimePoint expires_at;
  std::string account_id;  // 12 digits

  // Role sessions (kAssumedRole, kWebIdentity).
  std::string role_id;   // AROA…
  std::string role_arn;  // arn:aws:iam::ACCT:role/PATH/NAME
  std::string role_name;
  std::string session_name;  // RoleSessionName

  // GetSessionToken sessions (kUserSession, kRootSession): who called.
  std::string caller_arn;      // arn:aws:iam::ACCT:user/PATH/NAME or arn:aws:iam::ACCT:root
  std::string caller_user_id;  // AIDA… or the account id for root
  std::string caller_user_name;

  // Session policies: the inline Policy text exactly as given (the server compiles it when it
  // validates the token; empty = none) and the PolicyArns.
  std::string session_policy;
  std::vector<std::string> policy_arns;

  std::vector<std::pair<std::string, std::string>> tags;  // session tags, key → value, in order
  std::vector<std::string> transitive_tag_keys;
  std::string source_identity;
  bool chained = false;            // assumed with role-session credentials (role chaining)
  bool mfa_authenticated = false;  // the session was created with an MFA code

  // Web identity sessions: the OIDC provider and the token's sub / aud claims.
  std::string web_identity_provider_arn;
  std::string web_identity_subject;
  std::string web_identity_audience;
  // Web identity sessions: the provider's condition keys from the token ("HOST/PATH:sub",
  // ":aud", ":amr", …, each with its values), set in every request of the session so that
  // policies can use them as conditions and as variables (${HOST/PATH:sub}). Format version 2.
  std::vector<std::pair<std::string, std::vector<std::string>>> web_identity_context;
};

// Fills access_key_id (ASIA…) and secret_access_key (40 characters) with fresh values.
void AssignNewCredentials(Random& random, SessionClaims& claims);

}  // namespace kura::sts
