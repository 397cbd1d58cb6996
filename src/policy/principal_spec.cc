#include "policy/principal_spec.h"

#include <algorithm>

#include "policy/arn.h"

namespace kura::policy {
namespace {

namespace json = boost::json;

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return !value.empty() && std::find(list.begin(), list.end(), value) != list.end();
}

bool IsAccountId(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One "AWS" entry; false if it is not a principal IAM accepts.
bool AddAwsPrincipal(std::string_view value, std::string_view owner_account, PrincipalSpec& spec) {
  if (value == "*") {
    spec.everyone = true;
    return true;
  }
  if (IsAccountId(value)) {
    spec.accounts.emplace_back(value);
    return true;
  }
  auto arn = ParseArn(value);
  if (!arn || (arn->service != "iam" && arn->service != "sts") || arn->resource.empty() ||
      value.find_first_of("*?") != std::string_view::npos) {
    return false;
  }
  // An empty account names the policy's owner (a user, role or session of its own account).
  if (arn->account.empty() && arn->resource != "root") {
    spec.arns.push_back(WithAccount(value, owner_account));
    return true;
  }
  if (!IsAccountId(arn->account)) return false;
  if (arn->service == "iam" && arn->resource == "root") {
    spec.accounts.emplace_back(arn->account);
  } else {
    spec.arns.emplace_back(value);
  }
  return true;
}

bool AddEntries(std::string_view type, const json::value& values,
                std::string_view owner_account, PrincipalSpec& spec, std::string& bad) {
  std::vector<std::string_view> items;
  if (values.is_string()) {
    items.push_back(values.get_string());
  } else if (values.is_array() && !values.get_array().empty()) {
    for (const json::value& v : values.get_array()) {
      if (!v.is_string()) return false;
      items.push_back(v.get_string());
    }
  } else {
    return false;
  }
  for (std::string_view item : items) {
    bad = std::string(item);
    if (item.empty()) return false;
    if (type == "AWS") {
      if (!AddAwsPrincipal(item, owner_account, spec)) return false;
    } else if (type == "Service") {
      spec.services.emplace_back(item);
    } else if (type == "Federated") {
      spec.federated.emplace_back(item);
    } else {
      spec.canonical_users.emplace_back(item);
    }
  }
  return true;
}

bool AccountCovered(const PrincipalSpec& spec, const Request& request) {
  return Contains(spec.accounts, request.principal.account_id) ||
         Contains(spec.canonical_users, request.canonical_user_id);
}

}  // namespace

std::optional<PrincipalSpec> ParsePrincipalSpec(const json::value& value, std::string& error,
                                                std::string_view owner_account) {
  PrincipalSpec spec;
  if (value.is_string() && value.get_string() == "*") {
    spec.everyone = true;
    return spec;
  }
  if (!value.is_object() || value.get_object().empty()) {
    error = "Invalid principal in policy: " + json::serialize(value);
    return std::nullopt;
  }
  for (const auto& [type, values] : value.get_object()) {
    if (type != "AWS" && type != "Service" && type != "Federated" && type != "CanonicalUser") {
      error = "Invalid principal in policy: \"" + std::string(type) + "\"";
      return std::nullopt;
    }
    std::string bad;
    if (!AddEntries(type, values, owner_account, spec, bad)) {
      error = "Invalid principal in policy: \"" + std::string(type) + "\":\"" + bad + "\"";
      return std::nullopt;
    }
  }
  return spec;
}

PrincipalMatch MatchPrincipal(const PrincipalSpec& spec, const Request& request) {
  const Principal& p = request.principal;
  if (spec.everyone) return PrincipalMatch::kDirect;
  if (Contains(spec.federated, request.federated_provider) ||
      Contains(spec.services, request.service_principal)) {
    return PrincipalMatch::kDirect;
  }
  if (p.IsAnonymous()) return PrincipalMatch::kNone;
  if (Contains(spec.arns, p.arn)) return PrincipalMatch::kDirect;
  if (p.IsRoot() && Contains(spec.accounts, p.account_id)) return PrincipalMatch::kDirect;
  if (p.session && Contains(spec.arns, p.session->role_arn)) return PrincipalMatch::kEntity;
  if (AccountCovered(spec, request)) return PrincipalMatch::kAccount;
  return PrincipalMatch::kNone;
}

bool NotPrincipalExcludes(const PrincipalSpec& spec, const Request& request) {
  const Principal& p = request.principal;
  if (spec.everyone) return true;
  if (Contains(spec.federated, request.federated_provider) ||
      Contains(spec.services, request.service_principal)) {
    return true;
  }
  if (p.IsAnonymous()) return false;
  if (!AccountCovered(spec, request)) return false;
  if (p.IsRoot()) return true;
  if (!Contains(spec.arns, p.arn)) return false;
  if (p.type == PrincipalType::kAssumedRole && p.session && !p.session->role_arn.empty()) {
    return Contains(spec.arns, p.session->role_arn);
  }
  return true;
}

}  // namespace kura::policy
