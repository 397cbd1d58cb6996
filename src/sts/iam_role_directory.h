// RoleDirectory over IAM's identity snapshots (iam/identity_model.h): roles by ARN and managed
// policies by ARN, each in the account its ARN names, and a caller's effective identity
// policies and boundary in the caller's account, all read from that account's current snapshot
// (one atomic load per call, no database). A closed account's roles are found by nobody. Compiled policies handed out keep
// their snapshot alive (aliasing shared_ptr), so a concurrent IAM write cannot free them.
// Thread-safety: all members may be called concurrently.
#pragma once

#include "iam/identity_model.h"
#include "sts/role_directory.h"

namespace kura::sts {

class IamRoleDirectory final : public RoleDirectory {
 public:
  // Borrows `identities`, which must outlive the directory.
  explicit IamRoleDirectory(const iam::IdentitySource& identities) : identities_(identities) {}

  std::shared_ptr<const RoleInfo> FindRole(std::string_view role_arn) const override;
  bool ResolveRoleSession(std::string_view role_arn, std::string_view role_id,
                          std::span<const std::string> session_policy_arns,
                          policy::ResolvedIdentity& out) const override;
  std::shared_ptr<const policy::CompiledPolicy> FindManagedPolicy(
      std::string_view policy_arn) const override;
  CallerPolicies PoliciesOf(const Principal& caller) const override;
  std::shared_ptr<const OidcProviderInfo> FindOidcProvider(std::string_view account_id,
                                                           std::string_view key) const override;
  std::string AccountOfAccessKey(std::string_view access_key_id) const override;

 private:
  const iam::IdentitySource& identities_;
};

}  // namespace kura::sts
