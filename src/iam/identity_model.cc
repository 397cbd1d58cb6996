#include "iam/identity_model.h"

#include <algorithm>

#include "common/text.h"

namespace kura::iam {

const PolicyVersion* ManagedPolicy::DefaultVersion() const {
  for (const PolicyVersion& v : versions) {
    if (v.version_id == default_version_id) return &v;
  }
  return nullptr;
}

const policy::CompiledPolicy* ManagedPolicy::compiled() const {
  const PolicyVersion* v = DefaultVersion();
  return v == nullptr ? nullptr : v->compiled.get();
}

std::string IamArn(std::string_view account_id, std::string_view kind, std::string_view path,
                   std::string_view name) {
  std::string arn = "arn:aws:iam::";
  arn.append(account_id).append(":").append(kind).append(path.empty() ? "/" : path).append(name);
  return arn;
}

std::string NameKey(std::string_view name) {
  return AsciiLower(name);
}

namespace {

void AddInline(const std::vector<InlinePolicy>& policies,
               std::vector<const policy::CompiledPolicy*>& out) {
  for (const InlinePolicy& p : policies) {
    if (p.compiled) out.push_back(p.compiled.get());
  }
}

}  // namespace

IdentitySnapshot::IdentitySnapshot(IdentityState state) : state_(std::move(state)) {
  for (const auto& [key, policy] : state_.policies) policies_by_arn_[policy->arn] = policy.get();
  auto attached = [this](const std::vector<std::string>& arns,
                         std::vector<const policy::CompiledPolicy*>& out) {
    for (const std::string& arn : arns) {
      ++attachment_counts_[arn];
      if (const policy::CompiledPolicy* p = FindCompiledPolicy(arn)) out.push_back(p);
    }
  };
  auto boundary = [this](const std::string& arn) -> const policy::CompiledPolicy* {
    if (arn.empty()) return nullptr;
    ++boundary_counts_[arn];
    return FindCompiledPolicy(arn);
  };
  std::unordered_map<std::string, EffectivePolicies> group_policies;
  for (const auto& [key, group] : state_.groups) {
    EffectivePolicies& e = group_policies[key];
    AddInline(group->inline_policies, e.identity);
    attached(group->attached_policy_arns, e.identity);
  }
  for (const auto& [key, user] : state_.users) {
    users_by_key_[key] = user.get();
    for (const AccessKey& k : user->access_keys) {
      keys_by_id_[k.id] = &k;
      key_owners_[k.id] = user.get();
    }
    EffectivePolicies& e = user_policies_[user.get()];
    AddInline(user->inline_policies, e.identity);
    attached(user->attached_policy_arns, e.identity);
    for (const std::string& g : user->groups) {
      auto it = group_policies.find(NameKey(g));
      if (it == group_policies.end()) continue;
      e.identity.insert(e.identity.end(), it->second.identity.begin(), it->second.identity.end());
    }
    e.boundary = boundary(user->boundary_arn);
  }
  for (const auto& [key, role] : state_.roles) {
    roles_by_arn_[role->arn] = role.get();
    EffectivePolicies& e = role_policies_[role.get()];
    AddInline(role->inline_policies, e.identity);
    attached(role->attached_policy_arns, e.identity);
    e.boundary = boundary(role->boundary_arn);
  }
}

const User* IdentitySnapshot::FindUser(std::string_view name) const {
  auto it = state_.users.find(NameKey(name));
  return it == state_.users.end() ? nullptr : it->second.get();
}

const User* IdentitySnapshot::FindUserByAccessKey(std::string_view access_key_id) const {
  auto it = key_owners_.find(std::string(access_key_id));
  return it == key_owners_.end() ? nullptr : it->second;
}

const AccessKey* IdentitySnapshot::FindAccessKey(std::string_view access_key_id) const {
  auto it = keys_by_id_.find(std::string(access_key_id));
  return it == keys_by_id_.end() ? nullptr : it->second;
}

const Group* IdentitySnapshot::FindGroup(std::string_view name) const {
  auto it = state_.groups.find(NameKey(name));
  return it == state_.groups.end() ? nullptr : it->second.get();
}

const Role* IdentitySnapshot::FindRoleByName(std::string_view name) const {
  auto it = state_.roles.find(NameKey(name));
  return it == state_.roles.end() ? nullptr : it->second.get();
}

const Role* IdentitySnapshot::FindRoleByArn(std::string_view arn) const {
  auto it = roles_by_arn_.find(std::string(arn));
  return it == roles_by_arn_.end() ? nullptr : it->second;
}

const ManagedPolicy* IdentitySnapshot::FindPolicy(std::string_view arn) const {
  auto it = policies_by_arn_.find(std::string(arn));
  return it == policies_by_arn_.end() ? nullptr : it->second;
}

const policy::CompiledPolicy* IdentitySnapshot::FindCompiledPolicy(std::string_view arn) const {
  const ManagedPolicy* p = FindPolicy(arn);
  return p == nullptr ? nullptr : p->compiled();
}

const EffectivePolicies& IdentitySnapshot::ForUser(const User& user) const {
  static const EffectivePolicies kNone;
  auto it = user_policies_.find(&user);
  return it == user_policies_.end() ? kNone : it->second;
}

const EffectivePolicies& IdentitySnapshot::ForRole(const Role& role) const {
  static const EffectivePolicies kNone;
  auto it = role_policies_.find(&role);
  return it == role_policies_.end() ? kNone : it->second;
}

std::vector<std::string> IdentitySnapshot::GroupMembers(std::string_view group_name) const {
  std::string key = NameKey(group_name);
  std::vector<std::string> names;
  for (const auto& [k, user] : state_.users) {
    for (const std::string& g : user->groups) {
      if (NameKey(g) == key) names.push_back(user->name);
    }
  }
  return names;
}

int IdentitySnapshot::AttachmentCount(std::string_view policy_arn) const {
  auto it = attachment_counts_.find(std::string(policy_arn));
  return it == attachment_counts_.end() ? 0 : it->second;
}

int IdentitySnapshot::BoundaryUsageCount(std::string_view policy_arn) const {
  auto it = boundary_counts_.find(std::string(policy_arn));
  return it == boundary_counts_.end() ? 0 : it->second;
}

}  // namespace kura::iam

namespace kura::iam {

IdentityDirectory::IdentityDirectory(
    std::string management_account_id,
    std::map<std::string, std::shared_ptr<const IdentitySnapshot>> accounts)
    : management_account_id_(std::move(management_account_id)),
      accounts_(std::make_move_iterator(accounts.begin()), std::make_move_iterator(accounts.end())) {
  IndexKeys();
}

void IdentityDirectory::IndexKeys() {
  size_t count = 0;
  for (const auto& [id, snapshot] : accounts_) {
    for (const auto& [name, user] : snapshot->state().users) count += user->access_keys.size();
    ++count;
  }
  keys_.clear();
  keys_.reserve(count);
  for (const auto& [id, snapshot] : accounts_) {
    for (const auto& [name, user] : snapshot->state().users) {
      for (const AccessKey& key : user->access_keys) keys_.emplace_back(key.id, snapshot.get());
    }
    const AccountInfo* account = snapshot->state().account.get();
    if (account != nullptr && account->root_key) {
      keys_.emplace_back(account->root_key->id, snapshot.get());
    }
  }
  std::ranges::sort(keys_, {}, &std::pair<std::string_view, const IdentitySnapshot*>::first);
}

std::shared_ptr<const IdentityDirectory> IdentityDirectory::With(
    std::shared_ptr<const IdentitySnapshot> snapshot) const {
  std::shared_ptr<IdentityDirectory> next(new IdentityDirectory());
  next->management_account_id_ = management_account_id_;
  next->accounts_ = accounts_;
  const std::string& id = snapshot->account_id();
  auto it = std::ranges::lower_bound(next->accounts_, id, {}, &Entry::first);
  if (it != next->accounts_.end() && it->first == id) {
    it->second = std::move(snapshot);
  } else {
    next->accounts_.emplace(it, id, std::move(snapshot));
  }
  next->IndexKeys();
  return next;
}

const std::shared_ptr<const IdentitySnapshot>* IdentityDirectory::Find(
    std::string_view account_id) const {
  auto it = std::ranges::lower_bound(accounts_, account_id, {}, &Entry::first);
  return it != accounts_.end() && it->first == account_id ? &it->second : nullptr;
}

const IdentitySnapshot* IdentityDirectory::AccountOfKey(std::string_view access_key_id) const {
  auto it = std::ranges::lower_bound(keys_, access_key_id, {},
                                     &std::pair<std::string_view, const IdentitySnapshot*>::first);
  return it != keys_.end() && it->first == access_key_id ? it->second : nullptr;
}

std::shared_ptr<const IdentitySnapshot> IdentitySource::Current(std::string_view account_id) const {
  std::shared_ptr<const IdentityDirectory> directory = Directory();
  const std::shared_ptr<const IdentitySnapshot>* snapshot = directory->Find(account_id);
  return snapshot == nullptr ? nullptr : *snapshot;
}

}  // namespace kura::iam
