// Who made a request, as authentication established it: the account root, an IAM user, an
// assumed-role session (or a GetSessionToken session of a user/root), or anonymous. The policy
// engine reads it to build aws:* condition keys; handlers read it for owner ids and audit.
// Thread-safety: an immutable value once built.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace kura {

enum class PrincipalType { kAnonymous, kRoot, kUser, kAssumedRole, kFederatedUser };

struct SessionInfo {
  std::string role_id;             // AROA…  (empty for GetSessionToken sessions)
  std::string role_arn;            // arn:aws:iam::ACCT:role/PATH/NAME
  std::string role_name;
  std::string session_name;
  TimePoint issued_at;
  TimePoint expires_at;
  std::string source_identity;
  std::vector<std::pair<std::string, std::string>> tags;   // session (principal) tags
  std::vector<std::string> transitive_tag_keys;
  bool chained = false;            // assumed with role-session credentials
  // Session policies: the inline Policy (compiled by the session resolver, which hands it to
  // the authorizer beside the principal as ResolvedGrants) and the PolicyArns.
  bool has_session_policy = false;
  std::vector<std::string> session_policy_arns;
  std::string federated_provider;  // web identity: provider ARN
  // Web identity: the provider's condition keys ("HOST/PATH:sub" → values), set on every request.
  std::vector<std::pair<std::string, std::vector<std::string>>> web_identity_context;
};

// What resolving a principal's credentials established for authorizing the request beyond the
// Principal (the policy layer's policy::ResolvedIdentity: a role session's policies as of the
// request's identity snapshot and its compiled session policy). Opaque below that layer.
class ResolvedGrants {
 public:
  virtual ~ResolvedGrants() = default;
};

struct Principal {
  PrincipalType type = PrincipalType::kAnonymous;
  std::string account_id;
  std::string arn;           // arn:aws:iam::ACCT:root | user/… | arn:aws:sts::ACCT:assumed-role/…
  std::string user_id;       // aws:userid: AIDA… | ACCT | AROA…:session
  std::string user_name;     // aws:username (users only)
  std::string access_key_id;
  std::optional<SessionInfo> session;  // set for temporary credentials

  bool IsRoot() const { return type == PrincipalType::kRoot; }
  bool IsAnonymous() const { return type == PrincipalType::kAnonymous; }
};

}  // namespace kura
