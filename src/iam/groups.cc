// CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, AddUserToGroup,
// RemoveUserFromGroup, ListGroupsForUser.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateGroup.html and siblings.
// Membership is kept on the user (User::groups); a group's members are derived.
#include "common/ids.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"

namespace kura::iam::handlers {

net::awaitable<Result<std::string>> CreateGroup(IamCall& call) {
  auto name = call.Name("GroupName", "groupName", 128);
  if (!name) co_return name.error();
  auto path = call.Path();
  if (!path) co_return path.error();
  std::string arn = IamArn(call.account(), "group", *path, *name);
  std::shared_ptr<const Group> created;
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (s.groups.count(key) > 0) return AlreadyExists("Group", *name);
    auto group = std::make_shared<Group>();
    group->name = *name;
    group->path = *path;
    group->id = NewId(call.env().random, IdPrefix::kGroup);
    group->arn = arn;
    group->created = call.now();
    s.groups[key] = group;
    created = std::move(group);
    return Ok();
  }));
  auto& w = call.Start();
  w.Open("Group");
  WriteGroup(w, *created);
  w.Close("Group");
  co_return call.Finish();
}

net::awaitable<Result<std::string>> GetGroup(IamCall& call) {
  auto name = call.Name("GroupName", "groupName", 128);
  if (!name) co_return name.error();
  const IdentitySnapshot& snap = call.snapshot();
  const Group* group = snap.FindGroup(*name);
  if (group == nullptr) co_return NoSuchEntity("group", *name);
  std::vector<std::string> keys;
  for (const std::string& member : snap.GroupMembers(group->name)) keys.push_back(NameKey(member));
  auto page = Paginate(call, keys);
  if (!page) co_return page.error();
  auto& w = call.Start();
  w.Open("Group");
  WriteGroup(w, *group);
  w.Close("Group").Open("Users");
  for (size_t i = page->begin; i < page->end; ++i) {
    w.Open("member");
    WriteUser(w, *snap.FindUser(keys[i]), false);
    w.Close("member");
  }
  w.Close("Users");
  WritePageTail(w, *page);
  co_return call.Finish();
}

net::awaitable<Result<std::string>> ListGroups(IamCall& call) {
  std::string prefix = call.Has("PathPrefix") ? call.Param("PathPrefix") : "/";
  const auto& groups = call.snapshot().state().groups;
  std::vector<std::string> keys = KeysWithPathPrefix(groups, prefix);
  auto page = Paginate(call, keys);
  if (!page) co_return page.error();
  auto& w = call.Start();
  w.Open("Groups");
  for (size_t i = page->begin; i < page->end; ++i) {
    w.Open("member");
    WriteGroup(w, *groups.at(keys[i]));
    w.Close("member");
  }
  w.Close("Groups");
  WritePageTail(w, *page);
  co_return call.Finish();
}

net::awaitable<Result<std::string>> UpdateGroup(IamCall& call) {
  auto name = call.Name("GroupName", "groupName", 128);
  if (!name) co_return name.error();
  std::string new_name = *name;
  if (call.Has("NewGroupName")) {
    auto n = call.Name("NewGroupName", "newGroupName", 128);
    if (!n) co_return n.error();
    new_name = *n;
  }
  std::optional<std::string> new_path;
  if (call.Has("NewPath")) {
    auto p = call.Path("NewPath");
    if (!p) co_return p.error();
    new_path = *p;
  }
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name), new_key = NameKey(new_name);
    if (s.groups.count(key) == 0) return NoSuchEntity("group", *name);
    if (new_key != key && s.groups.count(new_key) > 0) return AlreadyExists("Group", new_name);
    Group group = *s.groups.at(key);
    std::string old_name = group.name;
    group.name = new_name;
    if (new_path) group.path = *new_path;
    group.arn = IamArn(s.account_id, "group", group.path, group.name);
    s.groups.erase(key);
    s.groups[new_key] = std::make_shared<const Group>(std::move(group));
    EditAll(s.users, [&](User& u) {
      bool changed = false;
      for (std::string& g : u.groups) {
        if (NameKey(g) == key) g = new_name, changed = true;
      }
      return changed;
    });
    return Ok();
  }));
  co_return call.Empty();
}

net::awaitable<Result<std::string>> DeleteGroup(IamCall& call) {
  auto name = call.Name("GroupName", "groupName", 128);
  if (!name) co_return name.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    auto it = s.groups.find(NameKey(*name));
    if (it == s.groups.end()) return NoSuchEntity("group", *name);
    if (!IdentitySnapshot(s).GroupMembers(*name).empty()) {
      return MakeError(ErrorCode::kDeleteConflict,
                       "Cannot delete entity, must remove users from group first.");
    }
    if (!it->second->inline_policies.empty()) {
      return MakeError(ErrorCode::kDeleteConflict, "Cannot delete entity, must delete policies first.");
    }
    if (!it->second->attached_policy_arns.empty()) {
      return MakeError(ErrorCode::kDeleteConflict,
                       "Cannot delete entity, must detach all policies first.");
    }
    s.groups.erase(it);
    return Ok();
  }));
  co_return call.Empty();
}

namespace {

net::awaitable<Result<std::string>> ChangeMembership(IamCall& call, bool add) {
  auto group_name = call.Name("GroupName", "groupName", 128);
  if (!group_name) co_return group_name.error();
  auto user_name = call.Name("UserName", "userName");
  if (!user_name) co_return user_name.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    auto group = s.groups.find(NameKey(*group_name));
    if (group == s.groups.end()) return NoSuchEntity("group", *group_name);
    std::string user_key = NameKey(*user_name);
    if (s.users.count(user_key) == 0) return NoSuchEntity("user", *user_name);
    const auto& groups = s.users.at(user_key)->groups;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const std::string& g) { return NameKey(g) == group->first; });
    if (add) {
      if (it == groups.end()) Edit(s.users, user_key).groups.push_back(group->second->name);
      return Ok();
    }
    if (it == groups.end()) {
      return MakeError(ErrorCode::kNoSuchEntity, "The user with name " + *user_name +
                                                     " is not in group " + *group_name + ".");
    }
    size_t index = static_cast<size_t>(it - groups.begin());
    auto& edited = Edit(s.users, user_key).groups;
    edited.erase(edited.begin() + static_cast<std::ptrdiff_t>(index));
    return Ok();
  }));
  co_return call.Empty();
}

}  // namespace

net::awaitable<Result<std::string>> AddUserToGroup(IamCall& c) { return ChangeMembership(c, true); }
net::awaitable<Result<std::string>> RemoveUserFromGroup(IamCall& c) {
  return ChangeMembership(c, false);
}

net::awaitable<Result<std::string>> ListGroupsForUser(IamCall& call) {
  auto name = call.Name("UserName", "userName");
  if (!name) co_return name.error();
  const IdentitySnapshot& snap = call.snapshot();
  const User* user = snap.FindUser(*name);
  if (user == nullptr) co_return NoSuchEntity("user", *name);
  std::vector<std::string> keys;
  for (const std::string& g : user->groups) keys.push_back(NameKey(g));
  std::sort(keys.begin(), keys.end());
  auto page = Paginate(call, keys);
  if (!page) co_return page.error();
  auto& w = call.Start();
  w.Open("Groups");
  for (size_t i = page->begin; i < page->end; ++i) {
    const Group* g = snap.FindGroup(keys[i]);
    if (g == nullptr) continue;
    w.Open("member");
    WriteGroup(w, *g);
    w.Close("member");
  }
  w.Close("Groups");
  WritePageTail(w, *page);
  co_return call.Finish();
}

}  // namespace kura::iam::handlers
