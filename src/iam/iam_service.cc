#include "iam/iam_service.h"

#include <unordered_map>

#include "iam/iam_handlers.h"

namespace kura::iam {
namespace {

const std::unordered_map<std::string_view, Handler>& HandlerTable() {
  static const auto* table = new std::unordered_map<std::string_view, Handler>{
#define KURA_IAM_ENTRY(name) {#name, &handlers::name},
      KURA_IAM_ACTIONS(KURA_IAM_ENTRY)
#undef KURA_IAM_ENTRY
  };
  return *table;
}

}  // namespace

IamService::IamService(IdentityStore& store, const IamAuthorizer& authorizer,
                       const KeyUsageTracker& usage, const Clock& clock, Random& random)
    : store_(store), authorizer_(authorizer), usage_(usage), clock_(clock), random_(random) {}

std::string_view IamService::xml_namespace() const { return kIamNamespace; }

boost::asio::awaitable<Result<std::string>> IamService::Handle(const query::QueryCall& call) {
  auto it = HandlerTable().find(call.action);
  if (it == HandlerTable().end()) {
    co_return MakeError(ErrorCode::kInvalidAction,
                        "Could not find operation " + call.action + " for version 2010-05-08");
  }
  IamEnv env{store_, authorizer_, usage_, clock_, random_};
  IamCall iam_call(call, env);
  co_return co_await it->second(iam_call);
}

}  // namespace kura::iam
