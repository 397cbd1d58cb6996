#include "sts/iam_role_directory.h"

#include "policy/arn.h"

namespace kura::sts {
namespace {

using SnapshotPtr = std::shared_ptr<const iam::IdentitySnapshot>;

std::shared_ptr<const policy::CompiledPolicy> Keep(const SnapshotPtr& snapshot,
                                                   const policy::CompiledPolicy* p) {
  if (p == nullptr) return nullptr;
  return std::shared_ptr<const policy::CompiledPolicy>(snapshot, p);
}

TagList TagsOf(const std::vector<iam::Tag>& tags) {
  TagList out;
  for (const iam::Tag& tag : tags) out.emplace_back(tag.key, tag.value);
  return out;
}

CallerPolicies FromEffective(const SnapshotPtr& snapshot, const iam::EffectivePolicies& e,
                             const std::vector<iam::Tag>& tags) {
  CallerPolicies out;
  for (const policy::CompiledPolicy* p : e.identity) out.identity.push_back(Keep(snapshot, p));
  out.boundary = Keep(snapshot, e.boundary);
  out.tags = TagsOf(tags);
  return out;
}

// The open account's snapshot, or null.
SnapshotPtr OpenAccount(const iam::IdentitySource& identities, std::string_view account_id) {
  SnapshotPtr snapshot = identities.Current(account_id);
  if (snapshot == nullptr || !snapshot->state().account->active()) return nullptr;
  return snapshot;
}

// The snapshot of the account an IAM ARN names (arn:aws:iam::ACCT:…), if open.
SnapshotPtr AccountOfArn(const iam::IdentitySource& identities, std::string_view arn) {
  auto parsed = policy::ParseArn(arn);
  if (!parsed) return nullptr;
  return OpenAccount(identities, parsed->account);
}

}  // namespace

std::shared_ptr<const RoleInfo> IamRoleDirectory::FindRole(std::string_view role_arn) const {
  SnapshotPtr snapshot = AccountOfArn(identities_, role_arn);
  if (snapshot == nullptr) return nullptr;
  const iam::Role* role = snapshot->FindRoleByArn(role_arn);
  if (role == nullptr) return nullptr;
  auto info = std::make_shared<RoleInfo>();
  info->role_id = role->id;
  info->arn = role->arn;
  info->name = role->name;
  info->path = role->path;
  info->max_session_seconds = role->max_session_duration;
  info->trust_policy = role->trust_policy;
  info->tags = TagsOf(role->tags);
  return info;
}

bool IamRoleDirectory::ResolveRoleSession(std::string_view role_arn, std::string_view role_id,
                                          std::span<const std::string> session_policy_arns,
                                          policy::ResolvedIdentity& out) const {
  SnapshotPtr snapshot = AccountOfArn(identities_, role_arn);
  if (snapshot == nullptr) return false;
  const iam::Role* role = snapshot->FindRoleByArn(role_arn);
  if (role == nullptr || role->id != role_id) return false;
  const iam::EffectivePolicies& e = snapshot->ForRole(*role);
  out.identity = e.identity;
  out.boundary = e.boundary;
  out.tags = TagsOf(role->tags);
  for (const std::string& arn : session_policy_arns) {
    const policy::CompiledPolicy* p = snapshot->FindCompiledPolicy(arn);
    out.session_policies.push_back(p != nullptr ? p : &policy::AllowsNothing());
  }
  out.snapshot = std::move(snapshot);
  return true;
}

std::shared_ptr<const policy::CompiledPolicy> IamRoleDirectory::FindManagedPolicy(
    std::string_view policy_arn) const {
  SnapshotPtr snapshot = AccountOfArn(identities_, policy_arn);
  if (snapshot == nullptr) return nullptr;
  return Keep(snapshot, snapshot->FindCompiledPolicy(policy_arn));
}

CallerPolicies IamRoleDirectory::PoliciesOf(const Principal& caller) const {
  SnapshotPtr snapshot = OpenAccount(identities_, caller.account_id);
  if (snapshot == nullptr) return {};
  if (caller.type == PrincipalType::kAssumedRole && caller.session) {
    const iam::Role* role = snapshot->FindRoleByArn(caller.session->role_arn);
    if (role == nullptr || role->id != caller.session->role_id) return {};
    return FromEffective(snapshot, snapshot->ForRole(*role), role->tags);
  }
  if (caller.type == PrincipalType::kUser) {
    const iam::User* user = snapshot->FindUser(caller.user_name);
    if (user == nullptr || user->arn != caller.arn) return {};
    return FromEffective(snapshot, snapshot->ForUser(*user), user->tags);
  }
  return {};
}

std::shared_ptr<const OidcProviderInfo> IamRoleDirectory::FindOidcProvider(
    std::string_view account_id, std::string_view key) const {
  SnapshotPtr snapshot = OpenAccount(identities_, account_id);
  if (snapshot == nullptr) return nullptr;
  const auto& providers = snapshot->state().oidc_providers;
  auto it = providers.find(std::string(key));
  if (it == providers.end()) return nullptr;
  const iam::OidcProvider& p = *it->second;
  return std::make_shared<const OidcProviderInfo>(
      OidcProviderInfo{p.arn, p.url, p.key, p.client_ids});
}

std::string IamRoleDirectory::AccountOfAccessKey(std::string_view access_key_id) const {
  std::shared_ptr<const iam::IdentityDirectory> directory = identities_.Directory();
  const iam::IdentitySnapshot* snapshot = directory->AccountOfKey(access_key_id);
  return snapshot == nullptr ? std::string() : snapshot->account_id();
}

}  // namespace kura::sts
