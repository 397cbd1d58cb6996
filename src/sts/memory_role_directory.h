// A RoleDirectory held in maps: for unit tests, benchmarks and a server without IAM. Callers'
// policies are registered by the ARN PoliciesOf looks them up by: the user ARN for IAM users
// (and their GetSessionToken sessions), the role ARN for assumed-role sessions.
// Thread-safety: all members may be called concurrently (a shared mutex guards the maps).
#pragma once

#include <map>
#include <shared_mutex>
#include <string>

#include "sts/role_directory.h"

namespace kura::sts {

class MemoryRoleDirectory final : public RoleDirectory {
 public:
  // Adds or replaces the role with info.arn.
  void PutRole(RoleInfo info);
  void DeleteRole(std::string_view role_arn);
  void PutManagedPolicy(std::string policy_arn, std::shared_ptr<const policy::CompiledPolicy> p);
  void PutCallerPolicies(std::string principal_arn, CallerPolicies policies);
  // Adds or replaces the OIDC provider with info.key.
  void PutOidcProvider(OidcProviderInfo info);

  std::shared_ptr<const RoleInfo> FindRole(std::string_view role_arn) const override;
  bool ResolveRoleSession(std::string_view role_arn, std::string_view role_id,
                          std::span<const std::string> session_policy_arns,
                          policy::ResolvedIdentity& out) const override;
  std::shared_ptr<const policy::CompiledPolicy> FindManagedPolicy(
      std::string_view policy_arn) const override;
  CallerPolicies PoliciesOf(const Principal& caller) const override;
  // One account: `account_id` is not checked.
  std::shared_ptr<const OidcProviderInfo> FindOidcProvider(std::string_view account_id,
                                                           std::string_view key) const override;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<const RoleInfo>, std::less<>> roles_;
  std::map<std::string, std::shared_ptr<const policy::CompiledPolicy>, std::less<>> policies_;
  std::map<std::string, CallerPolicies, std::less<>> callers_;
  std::map<std::string, std::shared_ptr<const OidcProviderInfo>, std::less<>> oidc_providers_;
};

// The ARN a caller's own policies belong to: the role ARN for a role session, else its ARN.
std::string_view PolicyOwnerArn(const Principal& caller);

}  // namespace kura::sts
