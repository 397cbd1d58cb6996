// The AWS Query protocol that IAM (Version 2010-05-08) and STS (Version 2011-06-15) speak:
// POST / with an application/x-www-form-urlencoded body (or GET with a query string) naming an
// Action and its parameters; answers are XML documents, errors an <ErrorResponse>.
// A QueryService implements one API as a table of policy::Endpoint entries; the pipeline parses,
// authenticates, looks the action up in the table, authorizes the entry's IAM action on the
// resource the service builds for it, dispatches, and renders errors.
// Thread-safety: services allow concurrent calls.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "policy/authorizer.h"
#include "policy/endpoint.h"
#include "common/error.h"
#include "common/principal.h"
#include "sigv4/verifier.h"

namespace kura::query {

struct QueryCall {
  std::string action;
  std::map<std::string, std::string> params;  // decoded; Action and Version included
  std::shared_ptr<const Principal> principal;  // anonymous for unsigned calls
  const sigv4::AuthResult* auth = nullptr;     // null for unsigned calls
  policy::RequestAttributes facts;
  std::string request_id;

  // The parameter or "" when absent.
  std::string Param(std::string_view name) const;
  bool Has(std::string_view name) const { return params.count(std::string(name)) > 0; }
};

class QueryService {
 public:
  virtual ~QueryService() = default;
  virtual std::string_view service() const = 0;      // "iam" | "sts"
  virtual std::string_view xml_namespace() const = 0;
  // The table entry for `action`, or null when the API has no such action.
  virtual const policy::EndpointRule* Find(std::string_view action) const = 0;
  // kInvalidAction worded as the API words it ("Could not find operation X for version V").
  Error UnknownAction(std::string_view action) const;
  virtual std::string_view version() const = 0;  // "2010-05-08" | "2011-06-15"
  // The ARN the pipeline authorizes `endpoint`'s IAM action on, built from the entry's resource
  // kind and the call's parameters (validating the parameter that names it first, so that a
  // malformed name answers ValidationError rather than AccessDenied); nullopt when the entry
  // leaves authorization to its handler (policy::ResourceKind::kNone).
  virtual Result<std::optional<std::string>> Resource(const policy::EndpointRule& endpoint,
                                                      const QueryCall& call) const = 0;
  // The XML response body for the call to `endpoint` (an entry Find returned), or an error to
  // render as <ErrorResponse>.
  virtual boost::asio::awaitable<Result<std::string>> Handle(const policy::EndpointRule& endpoint,
                                                             const QueryCall& call) = 0;
};

// The authorization step of every IAM and STS call, which the pipeline takes between
// authentication and dispatch: the action's endpoint-table entry, after authorizing its IAM
// action on the resource the service builds for it. kMissingAuthenticationToken for an
// unsigned call the table does not allow (or to an unknown action), kInvalidAction for an
// unknown action, the resource builder's ValidationError, or the authorizer's kAccessDenied.
// `call.auth` must be set.
Result<const policy::EndpointRule*> AuthorizeCall(const QueryService& service, const QueryCall& call,
                                                  const policy::Authorizer& authorizer);

// Decodes an application/x-www-form-urlencoded body or query string. kInvalidArgument on a bad
// escape.
Result<std::map<std::string, std::string>> ParseForm(std::string_view text);

// The <ErrorResponse> document.
std::string RenderQueryError(const Error& error, std::string_view xml_namespace,
                             std::string_view request_id);

}  // namespace kura::query
