// Put/Delete{User,Role}PermissionsBoundary: the managed policy that caps an entity's identity
// permissions. https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
#include "iam/entity_kinds.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"

namespace kura::iam::handlers {
namespace {

template <typename T>
net::awaitable<Result<std::string>> SetBoundary(IamCall& call, bool put) {
  using Kind = EntityKind<T>;
  auto name = call.Name(Kind::kParam, Kind::kMember, Kind::kMaxName);
  if (!name) co_return name.error();
  std::string arn;
  if (put) {
    auto a = call.Required("PermissionsBoundary", "permissionsBoundary");
    if (!a) co_return a.error();
    arn = *a;
  }
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::string key = NameKey(*name);
    if (Kind::Map(s).count(key) == 0) return NoSuchEntity(Kind::kNoun, *name);
    if (put && FindPolicyIn(s, arn) == nullptr) {
      return MakeError(ErrorCode::kNoSuchEntity,
                       "Scope ARN: " + arn + " does not exist or is not attachable.");
    }
    if (!put && Kind::Map(s).at(key)->boundary_arn.empty()) return Ok();
    Edit(Kind::Map(s), key).boundary_arn = arn;
    return Ok();
  }));
  co_return call.Empty();
}

}  // namespace

net::awaitable<Result<std::string>> PutUserPermissionsBoundary(IamCall& c) {
  return SetBoundary<User>(c, true);
}
net::awaitable<Result<std::string>> DeleteUserPermissionsBoundary(IamCall& c) {
  return SetBoundary<User>(c, false);
}
net::awaitable<Result<std::string>> PutRolePermissionsBoundary(IamCall& c) {
  return SetBoundary<Role>(c, true);
}
net::awaitable<Result<std::string>> DeleteRolePermissionsBoundary(IamCall& c) {
  return SetBoundary<Role>(c, false);
}

}  // namespace kura::iam::handlers
