// The three kinds of IAM entity that policies attach to (users, groups, roles), described once
// so that attachments, inline policies and tags are written once for all of them.
// Thread-safety: constant data.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/limits.h"
#include "iam/identity_model.h"

namespace kura::iam {

template <typename T>
struct EntityKind;

template <>
struct EntityKind<User> {
  static constexpr std::string_view kParam = "UserName";
  static constexpr std::string_view kMember = "userName";
  static constexpr std::string_view kNoun = "user";
  static constexpr size_t kMaxName = 64;
  static constexpr std::string_view kQuota = "PoliciesPerUser";
  static constexpr size_t kMaxInlineChars = limits::kMaxUserInlinePolicyChars;
  static auto& Map(IdentityState& s) { return s.users; }
  static const auto& Map(const IdentityState& s) { return s.users; }
};

template <>
struct EntityKind<Group> {
  static constexpr std::string_view kParam = "GroupName";
  static constexpr std::string_view kMember = "groupName";
  static constexpr std::string_view kNoun = "group";
  static constexpr size_t kMaxName = 128;
  static constexpr std::string_view kQuota = "PoliciesPerGroup";
  static constexpr size_t kMaxInlineChars = limits::kMaxGroupInlinePolicyChars;
  static auto& Map(IdentityState& s) { return s.groups; }
  static const auto& Map(const IdentityState& s) { return s.groups; }
};

template <>
struct EntityKind<Role> {
  static constexpr std::string_view kParam = "RoleName";
  static constexpr std::string_view kMember = "roleName";
  static constexpr std::string_view kNoun = "role";
  static constexpr size_t kMaxName = 64;
  static constexpr std::string_view kQuota = "PoliciesPerRole";
  static constexpr size_t kMaxInlineChars = limits::kMaxRoleInlinePolicyChars;
  static auto& Map(IdentityState& s) { return s.roles; }
  static const auto& Map(const IdentityState& s) { return s.roles; }
};

// The entity named `name` in a snapshot, or null.
template <typename T>
const T* FindEntity(const IdentitySnapshot& snapshot, std::string_view name) {
  const auto& map = EntityKind<T>::Map(snapshot.state());
  auto it = map.find(NameKey(name));
  return it == map.end() ? nullptr : it->second.get();
}

// The ARN the call is authorized against (the entity's, else its ARN at path "/").
template <typename T>
std::string EntityResource(const IdentitySnapshot& snapshot, std::string_view name) {
  const T* e = FindEntity<T>(snapshot, name);
  if (e != nullptr) return e->arn;
  return IamArn(snapshot.account_id(), EntityKind<T>::kNoun, "/", name);
}

}  // namespace kura::iam
