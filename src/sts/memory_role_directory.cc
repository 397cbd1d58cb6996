#include "sts/memory_role_directory.h"

#include <mutex>

namespace kura::sts {

std::string_view PolicyOwnerArn(const Principal& caller) {
  if (caller.type == PrincipalType::kAssumedRole && caller.session) return caller.session->role_arn;
  return caller.arn;
}

void MemoryRoleDirectory::PutRole(RoleInfo info) {
  std::unique_lock lock(mu_);
  std::string arn = info.arn;
  roles_[arn] = std::make_shared<const RoleInfo>(std::move(info));
}

void MemoryRoleDirectory::DeleteRole(std::string_view role_arn) {
  std::unique_lock lock(mu_);
  if (auto it = roles_.find(role_arn); it != roles_.end()) roles_.erase(it);
}

void MemoryRoleDirectory::PutManagedPolicy(std::string policy_arn,
                                           std::shared_ptr<const policy::CompiledPolicy> p) {
  std::unique_lock lock(mu_);
  policies_[std::move(policy_arn)] = std::move(p);
}

void MemoryRoleDirectory::PutCallerPolicies(std::string principal_arn, CallerPolicies policies) {
  std::unique_lock lock(mu_);
  callers_[std::move(principal_arn)] = std::move(policies);
}

std::shared_ptr<const RoleInfo> MemoryRoleDirectory::FindRole(std::string_view role_arn) const {
  std::shared_lock lock(mu_);
  auto it = roles_.find(role_arn);
  return it == roles_.end() ? nullptr : it->second;
}

bool MemoryRoleDirectory::ResolveRoleSession(std::string_view role_arn, std::string_view role_id,
                                             std::span<const std::string> session_policy_arns,
                                             policy::ResolvedIdentity& out) const {
  std::shared_lock lock(mu_);
  auto role = roles_.find(role_arn);
  if (role == roles_.end() || role->second->role_id != role_id) return false;
  // The caller's policies are copied out (this directory has no immutable snapshot to point into).
  auto owned = std::make_shared<std::vector<std::shared_ptr<const policy::CompiledPolicy>>>();
  auto pointers = std::make_shared<std::vector<const policy::CompiledPolicy*>>();
  if (auto caller = callers_.find(role_arn); caller != callers_.end()) {
    for (const auto& p : caller->second.identity) {
      owned->push_back(p);
      pointers->push_back(p.get());
    }
    owned->push_back(caller->second.boundary);
    out.boundary = caller->second.boundary.get();
    out.tags = caller->second.tags;
  }
  for (const std::string& arn : session_policy_arns) {
    auto p = policies_.find(arn);
    if (p == policies_.end()) {
      out.session_policies.push_back(&policy::AllowsNothing());
      continue;
    }
    owned->push_back(p->second);
    out.session_policies.push_back(p->second.get());
  }
  out.identity = *pointers;
  out.snapshot = std::make_shared<std::pair<decltype(owned), decltype(pointers)>>(owned, pointers);
  return true;
}

std::shared_ptr<const policy::CompiledPolicy> MemoryRoleDirectory::FindManagedPolicy(
    std::string_view policy_arn) const {
  std::shared_lock lock(mu_);
  auto it = policies_.find(policy_arn);
  return it == policies_.end() ? nullptr : it->second;
}

CallerPolicies MemoryRoleDirectory::PoliciesOf(const Principal& caller) const {
  std::shared_lock lock(mu_);
  auto it = callers_.find(PolicyOwnerArn(caller));
  return it == callers_.end() ? CallerPolicies{} : it->second;
}

void MemoryRoleDirectory::PutOidcProvider(OidcProviderInfo info) {
  std::unique_lock lock(mu_);
  std::string key = info.key;
  oidc_providers_[key] = std::make_shared<const OidcProviderInfo>(std::move(info));
}

std::shared_ptr<const OidcProviderInfo> MemoryRoleDirectory::FindOidcProvider(
    std::string_view, std::string_view key) const {
  std::shared_lock lock(mu_);
  auto it = oidc_providers_.find(key);
  return it == oidc_providers_.end() ? nullptr : it->second;
}

}  // namespace kura::sts
