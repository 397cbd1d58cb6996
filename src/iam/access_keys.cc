// CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html and siblings.
// The secret is shown once, by CreateAccessKey; an inactive key is refused by the resolver.
#include "common/ids.h"
#include "common/limits.h"
#include "common/time_format.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"
#include "iam/key_last_use.h"

namespace kura::iam::handlers {
namespace {

Error NoSuchKey(std::string_view id) {
  return MakeError(ErrorCode::kNoSuchEntity,
                   "The Access Key with id " + std::string(id) + " cannot be found.");
}

// Finds the key among the user's; kNoSuchEntity for either missing.
Result<size_t> KeyIndex(const IdentityState& s, const std::string& user_name, const std::string& id) {
  auto it = s.users.find(NameKey(user_name));
  if (it == s.users.end()) return NoSuchEntity("user", user_name);
  const auto& keys = it->second->access_keys;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].id == id) return i;
  }
  return NoSuchKey(id);
}

}  // namespace

net::awaitable<Result<std::string>> CreateAccessKey(IamCall& call) {
  auto name = UserNameOrCaller(call);
  if (!name) co_return name.error();
  AccessKey created;
  std::string user_name;
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (s.users.count(key) == 0) return NoSuchEntity("user", *name);
    User& user = Edit(s.users, key);
    if (user.access_keys.size() >= static_cast<size_t>(limits::kMaxAccessKeysPerUser)) {
      return MakeError(ErrorCode::kLimitExceeded, "Cannot exceed quota for AccessKeysPerUser: " +
                                                      std::to_string(limits::kMaxAccessKeysPerUser));
    }
    created = AccessKey{NewId(call.env().random, IdPrefix::kAccessKey),
                        Secret(NewSecretKey(call.env().random)), true, call.now()};
    user.access_keys.push_back(created);
    user_name = user.name;
    return Ok();
  }));
  auto& w = call.Start();
  w.Open("AccessKey")
      .Element("UserName", user_name)
      .Element("AccessKeyId", created.id)
      .Element("Status", "Active")
      .Element("SecretAccessKey", created.secret.Reveal())
      .Element("CreateDate", FormatIso8601Seconds(created.created))
      .Close("AccessKey");
  co_return call.Finish();
}

net::awaitable<Result<std::string>> ListAccessKeys(IamCall& call) {
  auto name = UserNameOrCaller(call);
  if (!name) co_return name.error();
  const User* user = call.snapshot().FindUser(*name);
  if (user == nullptr) co_return NoSuchEntity("user", *name);
  std::vector<std::string> ids;
  for (const AccessKey& k : user->access_keys) ids.push_back(k.id);
  auto page = Paginate(call, ids);
  if (!page) co_return page.error();
  auto& w = call.Start();
  w.Open("AccessKeyMetadata");
  for (size_t i = page->begin; i < page->end; ++i) {
    const AccessKey& k = user->access_keys[i];
    w.Open("member")
        .Element("UserName", user->name)
        .Element("AccessKeyId", k.id)
        .Element("Status", k.active ? "Active" : "Inactive")
        .Element("CreateDate", FormatIso8601Seconds(k.created))
        .Close("member");
  }
  w.Close("AccessKeyMetadata");
  WritePageTail(w, *page);
  co_return call.Finish();
}

net::awaitable<Result<std::string>> UpdateAccessKey(IamCall& call) {
  auto name = UserNameOrCaller(call);
  if (!name) co_return name.error();
  auto id = call.Required("AccessKeyId", "accessKeyId");
  if (!id) co_return id.error();
  auto status = call.Required("Status", "status");
  if (!status) co_return status.error();
  if (*status != "Active" && *status != "Inactive") {
    co_return MakeError(ErrorCode::kValidationError,
                        "1 validation error detected: Value '" + *status +
                            "' at 'status' failed to satisfy constraint: Member must satisfy "
                            "enum value set: [Active, Inactive]");
  }
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    auto index = KeyIndex(s, *name, *id);
    if (!index) return index.error();
    Edit(s.users, NameKey(*name)).access_keys[*index].active = *status == "Active";
    return Ok();
  }));
  co_return call.Empty();
}

net::awaitable<Result<std::string>> DeleteAccessKey(IamCall& call) {
  auto name = UserNameOrCaller(call);
  if (!name) co_return name.error();
  auto id = call.Required("AccessKeyId", "accessKeyId");
  if (!id) co_return id.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    auto index = KeyIndex(s, *name, *id);
    if (!index) return index.error();
    auto& keys = Edit(s.users, NameKey(*name)).access_keys;
    keys.erase(keys.begin() + static_cast<std::ptrdiff_t>(*index));
    return Ok();
  }));
  co_return call.Empty();
}

net::awaitable<Result<std::string>> GetAccessKeyLastUsed(IamCall& call) {
  auto id = call.Required("AccessKeyId", "accessKeyId");
  if (!id) co_return id.error();
  const User* user = call.snapshot().FindUserByAccessKey(*id);
  // The pipeline authorized the key's owner, or all users when none has it: a caller who may
  // not read users learns nothing of which keys exist (AWS answers AccessDenied).
  if (user == nullptr) co_return NoSuchKey(*id);
  auto last = co_await LastUseOf(call.env().usage, *id);
  if (!last) co_return last.error();
  auto& w = call.Start();
  w.Element("UserName", user->name).Open("AccessKeyLastUsed");
  // AWS answers "N/A" for the service and region of a key never used, and no LastUsedDate.
  if (*last) {
    auto when = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::milliseconds((*last)->used_at_ms)));
    w.Element("LastUsedDate", FormatIso8601Seconds(when))
        .Element("ServiceName", (*last)->service)
        .Element("Region", (*last)->region);
  } else {
    w.Element("ServiceName", "N/A").Element("Region", "N/A");
  }
  w.Close("AccessKeyLastUsed");
  co_return call.Finish();
}

}  // namespace kura::iam::handlers
