// What STS needs from IAM, and nothing more: the role a RoleArn names (its id, trust policy, tags
// and session limit), the managed policies a PolicyArns list names, and the caller's own
// policies for AssumeRole's cross-principal check (AWS: "the trust policy must allow the caller,
// and when it names the account rather than the caller, the caller's identity policies must
// allow sts:AssumeRole too":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
// The server implements it over IAM's in-memory identity snapshot; tests and benchmarks use
// MemoryRoleDirectory (sts/memory_role_directory.h). Reads never touch storage.
// Thread-safety: implementations allow concurrent calls.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/principal.h"
#include "policy/compiled_policy.h"
#include "policy/resolved_identity.h"

namespace kura::sts {

using TagList = std::vector<std::pair<std::string, std::string>>;

struct RoleInfo {
  std::string role_id;  // AROA…
  std::string arn;      // arn:aws:iam::ACCT:role/PATH/NAME
  std::string name;
  std::string path = "/";
  int max_session_seconds = 3600;  // MaxSessionDuration, 3600..43200
  std::shared_ptr<const policy::CompiledPolicy> trust_policy;  // kind kTrust; never null
  TagList tags;
};

// The caller's side of AssumeRole's authorization: for an IAM user its inline, managed and
// group policies and its boundary; for an assumed-role session the role's. (The session's own
// session policies come from Principal::session, not from here.)
struct CallerPolicies {
  std::vector<std::shared_ptr<const policy::CompiledPolicy>> identity;
  std::shared_ptr<const policy::CompiledPolicy> boundary;  // null = none
  TagList tags;  // the user's or role's tags (aws:PrincipalTag/…)
};

// A registered OpenID Connect provider (IAM CreateOpenIDConnectProvider), as
// AssumeRoleWithWebIdentity needs it.
struct OidcProviderInfo {
  std::string arn;  // arn:aws:iam::ACCT:oidc-provider/HOST/PATH
  std::string url;  // as registered: https://HOST/PATH (where discovery starts)
  std::string key;  // HOST/PATH: matched against the token's iss, prefix of its condition keys
  std::vector<std::string> client_ids;
};

class RoleDirectory {
 public:
  virtual ~RoleDirectory() = default;

  // The role with this ARN (matched exactly, path included), or null.
  virtual std::shared_ptr<const RoleInfo> FindRole(std::string_view role_arn) const = 0;

  // For a request made with a session of role `role_arn`: false unless the role still exists
  // with id `role_id` (a deleted role, or one deleted and created again under the same name,
  // ends the sessions of the old one); when it does, fills `out` with the role's policies,
  // boundary and tags and the session's managed policies (`session_policy_arns`, appended to
  // out.session_policies), all from one snapshot that `out` keeps alive. Called on every
  // request made with role-session credentials: keep it cheap.
  virtual bool ResolveRoleSession(std::string_view role_arn, std::string_view role_id,
                                  std::span<const std::string> session_policy_arns,
                                  policy::ResolvedIdentity& out) const = 0;

  // The customer managed policy with this ARN (its default version), or null.
  virtual std::shared_ptr<const policy::CompiledPolicy> FindManagedPolicy(
      std::string_view policy_arn) const = 0;

  // The caller's identity policies, boundary and tags (empty for root or unknown callers).
  virtual CallerPolicies PoliciesOf(const Principal& caller) const = 0;

  // The OIDC provider registered in `account_id` for `key` ("host/path", the token's iss without
  // scheme), or null. Directories without identity providers keep the default.
  virtual std::shared_ptr<const OidcProviderInfo> FindOidcProvider(std::string_view account_id,
                                                                   std::string_view key) const {
    (void)account_id;
    (void)key;
    return nullptr;
  }
  // The account whose IAM user or root holds a long-term key, or "" (GetAccessKeyInfo).
  virtual std::string AccountOfAccessKey(std::string_view access_key_id) const {
    (void)access_key_id;
    return {};
  }
};

}  // namespace kura::sts
