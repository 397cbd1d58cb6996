// The Principal and NotPrincipal elements: parsing and matching.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
// A principal has several identities: its account, and for an IAM user the user ARN, for an
// assumed-role session both the session ARN and the role ARN. Principal matches if any listed
// entry names one of them; the match is graded (account < role ARN < the principal itself) because
// same-account evaluation treats them differently (see Authorize in policy.h). NotPrincipal
// excludes a principal only when every one of its identities is listed, which is why AWS tells
// you to list the account and the role along with a session ARN. Thread-safety: pure functions.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "policy/policy.h"

namespace kura::policy {

// nullopt with `error` set to IAM's message ("Invalid principal in policy: …"). An IAM/STS ARN
// with an empty account field names `owner_account` (kept as written when that is empty).
std::optional<PrincipalSpec> ParsePrincipalSpec(const boost::json::value& value,
                                                std::string& error,
                                                std::string_view owner_account = {});

enum class PrincipalMatch {
  kNone,
  kAccount,  // only via the account id / account root ARN / canonical user
  kEntity,   // via the role ARN of an assumed-role session
  kDirect,   // via "*" or the principal's own ARN (or its federated provider / service)
};

PrincipalMatch MatchPrincipal(const PrincipalSpec& spec, const Request& request);

// Whether NotPrincipal `spec` leaves the request's principal out of the statement.
bool NotPrincipalExcludes(const PrincipalSpec& spec, const Request& request);

}  // namespace kura::policy
