#include "sts/sts_service.h"

#include "common/async_bridge.h"

namespace kura::sts {
namespace {

using Operation = Result<std::string> (*)(const StsEnv&, const query::QueryCall&);
using policy::Access;
using policy::ResourceKind;
using Entry = policy::Endpoint<Operation>;

// Every STS action AWS has. No entry has a resource for the pipeline to authorize: AssumeRole
// evaluates the caller's identity policies together with the role's trust policy (in
// sts/trust_evaluation.cc, as one evaluation: a trust policy naming the caller suffices within
// the account), and the others need no permission, as in AWS. A null handler: known to AWS,
// not implemented by kura.
constexpr Entry kEndpoints[] = {
    {{"AssumeRole", "sts:AssumeRole", ResourceKind::kNone, Access::kSignedOnly}, &AssumeRole},
    {{"GetSessionToken", "sts:GetSessionToken", ResourceKind::kNone, Access::kSignedOnly},
     &GetSessionToken},
    {{"GetCallerIdentity", "sts:GetCallerIdentity", ResourceKind::kNone, Access::kSignedOnly},
     &GetCallerIdentity},
    {{"GetAccessKeyInfo", "sts:GetAccessKeyInfo", ResourceKind::kNone, Access::kSignedOnly},
     &GetAccessKeyInfo},
    {{"AssumeRoleWithWebIdentity", "sts:AssumeRoleWithWebIdentity", ResourceKind::kNone,
      Access::kAnonymousAllowed},
     &AssumeRoleWithWebIdentity},
    {{"AssumeRoleWithSAML", "sts:AssumeRoleWithSAML", ResourceKind::kNone, Access::kAnonymousAllowed},
     nullptr},
    {{"GetFederationToken", "sts:GetFederationToken", ResourceKind::kNone, Access::kSignedOnly},
     nullptr},
    {{"DecodeAuthorizationMessage", "sts:DecodeAuthorizationMessage", ResourceKind::kNone,
      Access::kSignedOnly},
     nullptr},
};

}  // namespace

StsService::StsService(StsConfig config, const TokenCodec& codec, const RoleDirectory& roles,
                       const Clock& clock, Random& random, WebIdentity web_identity,
                       SessionRegistry* sessions)
    : env_{std::move(config), codec, roles, clock, random, web_identity.keys, sessions},
      blocking_(web_identity.blocking) {}

const policy::EndpointRule* StsService::Find(std::string_view action) const {
  return policy::FindEndpoint<Operation>(kEndpoints, action);
}

Result<std::optional<std::string>> StsService::Resource(const policy::EndpointRule&,
                                                        const query::QueryCall&) const {
  return std::optional<std::string>();  // every entry is ResourceKind::kNone (see kEndpoints)
}

boost::asio::awaitable<Result<std::string>> StsService::Handle(const policy::EndpointRule& endpoint,
                                                               const query::QueryCall& call) {
  if (endpoint.name == "AssumeRoleWithWebIdentity" && blocking_ != nullptr) {
    co_return co_await RunBlocking(*blocking_, [this, &endpoint, &call] {
      return HandleNow(endpoint, call);
    });
  }
  co_return HandleNow(endpoint, call);
}

Result<std::string> StsService::HandleNow(const policy::EndpointRule& endpoint,
                                          const query::QueryCall& call) const {
  Operation run = static_cast<const Entry&>(endpoint).handler;
  if (run == nullptr) {
    return MakeError(ErrorCode::kInvalidAction, "kura does not implement " + call.action);
  }
  return run(env_, call);
}

Result<std::string> StsService::HandleNow(const query::QueryCall& call) const {
  const policy::EndpointRule* endpoint = Find(call.action);
  if (endpoint == nullptr) return UnknownAction(call.action);
  return HandleNow(*endpoint, call);
}

}  // namespace kura::sts
