#include "sts/sts_service.h"

#include "common/async_bridge.h"

namespace kura::sts {
namespace {

using Operation = Result<std::string> (*)(const StsEnv&, const query::QueryCall&);

struct OperationEntry {
  std::string_view action;
  Operation run;  // null: known to AWS, not implemented by kura
};

constexpr OperationEntry kOperations[] = {
    {"AssumeRole", &AssumeRole},
    {"GetSessionToken", &GetSessionToken},
    {"GetCallerIdentity", &GetCallerIdentity},
    {"GetAccessKeyInfo", &GetAccessKeyInfo},
    {"AssumeRoleWithWebIdentity", &AssumeRoleWithWebIdentity},
    {"AssumeRoleWithSAML", nullptr},
    {"GetFederationToken", nullptr},
    {"DecodeAuthorizationMessage", nullptr},
};

}  // namespace

StsService::StsService(StsConfig config, const TokenCodec& codec, const RoleDirectory& roles,
                       const Clock& clock, Random& random)
    : env_{std::move(config), codec, roles, clock, random} {}

bool StsService::AllowsAnonymous(std::string_view action) const {
  return action == "AssumeRoleWithWebIdentity" || action == "AssumeRoleWithSAML";
}

void StsService::EnableWebIdentity(oidc::KeySource& keys, boost::asio::thread_pool* blocking) {
  env_.web_identity_keys = &keys;
  blocking_ = blocking;
}

boost::asio::awaitable<Result<std::string>> StsService::Handle(const query::QueryCall& call) {
  if (call.action == "AssumeRoleWithWebIdentity" && blocking_ != nullptr) {
    co_return co_await RunBlocking(*blocking_, [this, &call] { return HandleNow(call); });
  }
  co_return HandleNow(call);
}

Result<std::string> StsService::HandleNow(const query::QueryCall& call) const {
  for (const OperationEntry& op : kOperations) {
    if (op.action != call.action) continue;
    if (op.run == nullptr) {
      return MakeError(ErrorCode::kInvalidAction, "kura does not implement " + call.action);
    }
    return op.run(env_, call);
  }
  return MakeError(ErrorCode::kInvalidAction,
                   "Could not find operation " + call.action + " for version 2011-06-15");
}

}  // namespace kura::sts
