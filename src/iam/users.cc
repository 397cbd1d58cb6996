// CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html and siblings.
#include "common/ids.h"
#include "common/time_format.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"

namespace kura::iam::handlers {

net::awaitable<Result<std::string>> CreateUser(IamCall& call) {
  auto name = call.Name("UserName", "userName");
  if (!name) co_return name.error();
  auto path = call.Path();
  if (!path) co_return path.error();
  auto tags = call.Tags();
  if (!tags) co_return tags.error();
  std::string boundary = call.Param("PermissionsBoundary");
  std::shared_ptr<const User> created;
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (s.users.count(key) > 0) return AlreadyExists("User", *name);
    if (!boundary.empty() && FindPolicyIn(s, boundary) == nullptr) {
      return NoSuchPolicy(boundary);
    }
    auto user = std::make_shared<User>();
    user->name = *name;
    user->path = *path;
    user->id = NewId(call.env().random, IdPrefix::kUser);
    user->arn = IamArn(s.account_id, "user", *path, *name);
    user->created = call.now();
    user->tags = *tags;
    user->boundary_arn = boundary;
    s.users[key] = user;
    created = std::move(user);
    return Ok();
  }));
  auto& w = call.Start();
  w.Open("User");
  WriteUser(w, *created, true);
  w.Close("User");
  co_return call.Finish();
}

net::awaitable<Result<std::string>> GetUser(IamCall& call) {
  const Principal& caller = call.principal();
  std::string name = call.Param("UserName");
  if (!call.Has("UserName") && caller.IsRoot()) {
    // The root user's own record, as AWS answers GetUser without UserName for root.
    auto& w = call.Start();
    w.Open("User")
        .Element("UserId", caller.account_id)
        .Element("Arn", caller.arn)
        .Element("CreateDate", FormatIso8601Seconds(TimePoint{}))
        .Close("User");
    co_return call.Finish();
  }
  if (!call.Has("UserName")) name = caller.user_name;
  if (name.empty()) {
    co_return MakeError(ErrorCode::kValidationError,
                        "Must specify userName when calling with non-User credentials");
  }
  const User* user = call.snapshot().FindUser(name);
  if (user == nullptr) co_return NoSuchEntity("user", name);
  auto& w = call.Start();
  w.Open("User");
  WriteUser(w, *user, true);
  w.Close("User");
  co_return call.Finish();
}

net::awaitable<Result<std::string>> ListUsers(IamCall& call) {
  std::string prefix = call.Has("PathPrefix") ? call.Param("PathPrefix") : "/";
  const auto& users = call.snapshot().state().users;
  std::vector<std::string> keys = KeysWithPathPrefix(users, prefix);
  auto page = Paginate(call, keys);
  if (!page) co_return page.error();
  auto& w = call.Start();
  w.Open("Users");
  for (size_t i = page->begin; i < page->end; ++i) {
    w.Open("member");
    WriteUser(w, *users.at(keys[i]), false);
    w.Close("member");
  }
  w.Close("Users");
  WritePageTail(w, *page);
  co_return call.Finish();
}

namespace {

// Renames a user in every place that names it (none today besides its own record and ARN).
Result<void> RenameUser(IdentityState& s, const std::string& old_name, const std::string& new_name,
                        const std::string& new_path, bool rename, bool repath) {
  std::string key = NameKey(old_name);
  if (s.users.count(key) == 0) return NoSuchEntity("user", old_name);
  std::string new_key = NameKey(new_name);
  if (rename && new_key != key && s.users.count(new_key) > 0) {
    return AlreadyExists("User", new_name);
  }
  User user = *s.users.at(key);
  if (rename) user.name = new_name;
  if (repath) user.path = new_path;
  user.arn = IamArn(s.account_id, "user", user.path, user.name);
  s.users.erase(key);
  std::string final_key = NameKey(user.name);  // before `user` is moved from
  s.users[final_key] = std::make_shared<const User>(std::move(user));
  return Ok();
}

}  // namespace

net::awaitable<Result<std::string>> UpdateUser(IamCall& call) {
  auto name = call.Name("UserName", "userName");
  if (!name) co_return name.error();
  bool rename = call.Has("NewUserName"), repath = call.Has("NewPath");
  std::string new_name = *name, new_path = "/";
  if (rename) {
    auto n = call.Name("NewUserName", "newUserName");
    if (!n) co_return n.error();
    new_name = *n;
  }
  if (repath) {
    auto p = call.Path("NewPath");
    if (!p) co_return p.error();
    new_path = *p;
  }
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) {
    return RenameUser(s, *name, new_name, new_path, rename, repath);
  }));
  co_return call.Empty();
}

net::awaitable<Result<std::string>> DeleteUser(IamCall& call) {
  auto name = call.Name("UserName", "userName");
  if (!name) co_return name.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    auto it = s.users.find(NameKey(*name));
    if (it == s.users.end()) return NoSuchEntity("user", *name);
    const User& u = *it->second;
    auto conflict = [](std::string_view what) {
      return MakeError(ErrorCode::kDeleteConflict,
                       "Cannot delete entity, must " + std::string(what) + " first.");
    };
    if (!u.access_keys.empty()) return conflict("delete access keys");
    if (!u.inline_policies.empty()) return conflict("delete policies");
    if (!u.attached_policy_arns.empty()) return conflict("detach all policies");
    if (!u.groups.empty()) return conflict("remove user from all groups");
    s.users.erase(it);
    return Ok();
  }));
  co_return call.Empty();
}

}  // namespace kura::iam::handlers
