// The AWS Query protocol that IAM (Version 2010-05-08) and STS (Version 2011-06-15) speak:
// POST / with an application/x-www-form-urlencoded body (or GET with a query string) naming an
// Action and its parameters; answers are XML documents, errors an <ErrorResponse>.
// A QueryService implements one API; the pipeline parses, authenticates and renders errors.
// Thread-safety: services allow concurrent calls.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <map>
#include <memory>
#include <string>

#include "policy/authorizer.h"
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
  // Whether `action` may be called without a signature (STS AssumeRoleWithWebIdentity).
  virtual bool AllowsAnonymous(std::string_view action) const = 0;
  // The XML response body for the call, or an error to render as <ErrorResponse>.
  virtual boost::asio::awaitable<Result<std::string>> Handle(const QueryCall& call) = 0;
};

// Decodes an application/x-www-form-urlencoded body or query string. kInvalidArgument on a bad
// escape.
Result<std::map<std::string, std::string>> ParseForm(std::string_view text);

// The <ErrorResponse> document.
std::string RenderQueryError(const Error& error, std::string_view xml_namespace,
                             std::string_view request_id);

}  // namespace kura::query
