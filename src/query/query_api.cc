#include "query/query_api.h"

#include "common/form_encoding.h"
#include "common/xml_writer.h"

namespace kura::query {

std::string QueryCall::Param(std::string_view name) const {
  auto it = params.find(std::string(name));
  return it == params.end() ? std::string() : it->second;
}

Result<std::map<std::string, std::string>> ParseForm(std::string_view text) {
  UrlEncodedPairs parsed = ParseUrlEncodedPairs(text, /*plus_is_space=*/true);
  if (parsed.malformed) return MakeError(ErrorCode::kInvalidArgument, "Malformed form-urlencoded body");
  std::map<std::string, std::string> out;
  for (UrlEncodedPair& pair : parsed.pairs) out[std::move(pair.name)] = std::move(pair.value);  // last wins
  return out;
}

Error QueryService::UnknownAction(std::string_view action) const {
  return MakeError(ErrorCode::kInvalidAction, "Could not find operation " + std::string(action) +
                                                  " for version " + std::string(version()));
}

Result<const policy::EndpointRule*> AuthorizeCall(const QueryService& service, const QueryCall& call,
                                                  const policy::Authorizer& authorizer) {
  const policy::EndpointRule* endpoint = service.Find(call.action);
  bool anonymous = call.auth->type == sigv4::AuthType::kAnonymous;
  if (anonymous && (endpoint == nullptr || endpoint->access == policy::Access::kSignedOnly)) {
    return MakeError(ErrorCode::kMissingAuthenticationToken);
  }
  if (endpoint == nullptr) return service.UnknownAction(call.action);
  if (endpoint->access != policy::Access::kSignedOnly) return endpoint;  // its handler decides
  auto resource = service.Resource(*endpoint, call);
  if (!resource) return resource.error();
  if (*resource) {
    KURA_TRY(authorizer.Authorize(*call.principal, endpoint->iam_action, **resource, call.facts));
  }
  return endpoint;
}

std::string RenderQueryError(const Error& error, std::string_view xml_namespace,
                             std::string_view request_id) {
  xml::Writer w("ErrorResponse", xml_namespace);
  w.Open("Error")
      .Element("Type", InfoFor(error.code).fault == Fault::Sender ? "Sender" : "Receiver")
      .Element("Code", error.aws_code())
      .Element("Message", error.message)
      .Close("Error");
  w.Element("RequestId", request_id);
  return w.Finish();
}

}  // namespace kura::query
