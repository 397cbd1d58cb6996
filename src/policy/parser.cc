// ParsePolicy: JSON (Boost.JSON, no exceptions) → validated CompiledPolicy. Validation follows
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html and uses IAM's
// own error messages where they are known.
#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "common/text.h"
#include "policy/arn.h"
#include "policy/policy.h"
#include "policy/principal_spec.h"

namespace kura::policy {
namespace {

namespace json = boost::json;

constexpr std::string_view kSyntax = "Syntax errors in policy.";
constexpr std::string_view kVendor =
    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";

class Parser {
 public:
  Parser(PolicyKind kind, std::string_view owner_account)
      : kind_(kind), owner_account_(owner_account) {}

  Result<std::shared_ptr<const CompiledPolicy>> Run(std::string_view text, std::string policy_id);

 private:
  Error Fail(std::string message) const {
    return MakeError(kind_ == PolicyKind::kResource ? ErrorCode::kMalformedPolicy
                                                    : ErrorCode::kMalformedPolicyDocument,
                     std::move(message));
  }
  Result<std::vector<std::string>> StringList(const json::value& v, std::string_view field) const;
  Result<CompiledStatement> Statement(const json::value& v);
  Result<void> Actions(const json::object& s, CompiledStatement& out) const;
  Result<void> Resources(const json::object& s, CompiledStatement& out) const;
  Result<void> Principals(const json::object& s, CompiledStatement& out) const;
  Result<void> Conditions(const json::value& v, CompiledStatement& out) const;
  Result<std::vector<std::string>> ConditionValues(const json::value& v) const;

  PolicyKind kind_;
  std::string_view owner_account_;  // fills empty account fields of IAM/STS ARNs
  bool substitute_ = false;
  std::set<std::string> sids_;
};

bool IsVendorPrefixed(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  return std::all_of(s.begin(), s.begin() + colon, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// Web identity keys are prefixed by the provider's URL without scheme, which may hold '/' and a
// port ("oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE:sub", "localhost:8080:aud"):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
bool IsConditionKey(std::string_view s) {
  if (IsVendorPrefixed(s)) return true;
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  return std::all_of(s.begin(), s.begin() + colon, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_./:").find(c) !=
                                                              std::string_view::npos;
  });
}

bool IsAlphanumeric(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

Result<std::vector<std::string>> Parser::StringList(const json::value& v,
                                                    std::string_view field) const {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.emplace_back(v.get_string());
    return out;
  }
  if (!v.is_array())
    return Fail(std::string(kSyntax) + " " + std::string(field) +
                " must be a string or an array of strings.");
  for (const json::value& item : v.get_array()) {
    if (!item.is_string())
      return Fail(std::string(kSyntax) + " " + std::string(field) +
                  " must be a string or an array of strings.");
    out.emplace_back(item.get_string());
  }
  return out;
}

Result<void> Parser::Actions(const json::object& s, CompiledStatement& out) const {
  const json::value* action = s.if_contains("Action");
  const json::value* not_action = s.if_contains("NotAction");
  if (action && not_action)
    return Fail(std::string(kSyntax) + " A statement cannot have both Action and NotAction.");
  if (!action && !not_action) return Fail("Policy statement must contain actions.");
  out.not_action = not_action != nullptr;
  auto list = StringList(action ? *action : *not_action, action ? "Action" : "NotAction");
  if (!list) return list.error();
  if (list->empty()) return Fail("Policy statement must contain actions.");
  for (const std::string& a : *list) {
    if (a != "*" && !IsVendorPrefixed(a)) return Fail(std::string(kVendor));
    out.actions.emplace_back(AsciiLower(a));
  }
  return Ok();
}

Result<void> Parser::Resources(const json::object& s, CompiledStatement& out) const {
  const json::value* resource = s.if_contains("Resource");
  const json::value* not_resource = s.if_contains("NotResource");
  if (kind_ == PolicyKind::kTrust) {
    if (resource) return Fail("Has prohibited field Resource");
    if (not_resource) return Fail("Has prohibited field NotResource");
    return Ok();
  }
  if (resource && not_resource)
    return Fail(std::string(kSyntax) + " A statement cannot have both Resource and NotResource.");
  if (!resource && !not_resource) return Fail("Policy statement must contain resources.");
  out.has_resource = true;
  out.not_resource = not_resource != nullptr;
  auto list =
      StringList(resource ? *resource : *not_resource, resource ? "Resource" : "NotResource");
  if (!list) return list.error();
  if (list->empty()) return Fail("Policy statement must contain resources.");
  for (const std::string& r : *list) {
    if (r != "*" && !r.starts_with("arn:")) {
      return Fail("Resource " + r + " must be in ARN format or \"*\".");
    }
    out.resources.emplace_back(WithAccount(r, owner_account_), substitute_, /*glob=*/true);
  }
  return Ok();
}

Result<void> Parser::Principals(const json::object& s, CompiledStatement& out) const {
  const json::value* principal = s.if_contains("Principal");
  const json::value* not_principal = s.if_contains("NotPrincipal");
  bool wants_principal = kind_ == PolicyKind::kResource || kind_ == PolicyKind::kTrust;
  if (!wants_principal) {
    if (principal || not_principal) return Fail("Policy document should not specify a principal.");
    return Ok();
  }
  if (principal && not_principal)
    return Fail(std::string(kSyntax) + " A statement cannot have both Principal and NotPrincipal.");
  if (!principal && !not_principal) return Fail("Missing required field Principal");
  out.has_principal = true;
  out.not_principal = not_principal != nullptr;
  std::string error;
  auto spec = ParsePrincipalSpec(principal ? *principal : *not_principal, error, owner_account_);
  if (!spec) return Fail(std::move(error));
  out.principal = std::move(*spec);
  return Ok();
}

Result<std::vector<std::string>> Parser::ConditionValues(const json::value& v) const {
  std::vector<std::string> out;
  auto add = [&](const json::value& item) -> bool {
    if (item.is_string()) {
      out.emplace_back(item.get_string());
    } else if (item.is_bool() || item.is_number()) {
      out.push_back(json::serialize(item));
    } else {
      return false;
    }
    return true;
  };
  if (v.is_array()) {
    for (const json::value& item : v.get_array()) {
      if (!add(item))
        return Fail(std::string(kSyntax) +
                    " Condition values must be strings, numbers or booleans.");
    }
  } else if (!add(v)) {
    return Fail(std::string(kSyntax) + " Condition values must be strings, numbers or booleans.");
  }
  return out;
}

Result<void> Parser::Conditions(const json::value& v, CompiledStatement& out) const {
  if (!v.is_object()) return Fail(std::string(kSyntax) + " Condition must be an object.");
  for (const auto& [op_name, block] : v.get_object()) {
    std::optional<ConditionOperator> op = ParseConditionOperator(op_name);
    if (!op) return Fail("Invalid Condition type : " + std::string(op_name));
    if (!block.is_object())
      return Fail(std::string(kSyntax) + " Condition " + std::string(op_name) +
                  " must be an object.");
    for (const auto& [key, values] : block.get_object()) {
      if (!IsConditionKey(key)) return Fail(std::string(kVendor));
      auto list = ConditionValues(values);
      if (!list) return list.error();
      out.conditions.emplace_back(*op, key, std::move(*list), substitute_);
    }
  }
  return Ok();
}

Result<CompiledStatement> Parser::Statement(const json::value& v) {
  if (!v.is_object()) return Fail(std::string(kSyntax) + " Each statement must be an object.");
  const json::object& s = v.get_object();
  static constexpr std::string_view kKnown[] = {"Sid",          "Effect",      "Principal",
                                                "NotPrincipal", "Action",      "NotAction",
                                                "Resource",     "NotResource", "Condition"};
  for (const auto& [key, unused] : s) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      return Fail(std::string(kSyntax) + " Unknown field " + std::string(key));
    }
  }
  CompiledStatement out;
  if (const json::value* sid = s.if_contains("Sid")) {
    if (!sid->is_string()) return Fail(std::string(kSyntax) + " Sid must be a string.");
    out.sid = std::string(sid->get_string());
    bool iam_stored = kind_ == PolicyKind::kIdentity || kind_ == PolicyKind::kTrust;
    if (iam_stored && !IsAlphanumeric(out.sid)) {
      return Fail(
          "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular "
          "expression [0-9A-Za-z]*");
    }
    if (!out.sid.empty() && !sids_.insert(out.sid).second) {
      return Fail("Statement IDs (SID) in a single policy must be unique.");
    }
  }
  const json::value* effect = s.if_contains("Effect");
  if (!effect) return Fail("Missing required field Effect");
  if (!effect->is_string() || (effect->get_string() != "Allow" && effect->get_string() != "Deny")) {
    return Fail("Invalid effect: " + (effect->is_string() ? std::string(effect->get_string())
                                                          : json::serialize(*effect)));
  }
  out.allow = effect->get_string() == "Allow";
  KURA_TRY(Principals(s, out));
  KURA_TRY(Actions(s, out));
  KURA_TRY(Resources(s, out));
  if (const json::value* condition = s.if_contains("Condition"))
    KURA_TRY(Conditions(*condition, out));
  return out;
}

Result<std::shared_ptr<const CompiledPolicy>> Parser::Run(std::string_view text,
                                                          std::string policy_id) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return Fail(std::string(kSyntax));
  const json::object& top = doc.get_object();
  for (const auto& [key, unused] : top) {
    if (key != "Version" && key != "Id" && key != "Statement") {
      return Fail(std::string(kSyntax) + " Unknown field " + std::string(key));
    }
  }
  std::string version;
  if (const json::value* v = top.if_contains("Version")) {
    if (!v->is_string() || (v->get_string() != "2012-10-17" && v->get_string() != "2008-10-17")) {
      return Fail("The policy failed legacy parsing: invalid Version " + json::serialize(*v) +
                  " (must be \"2012-10-17\" or \"2008-10-17\").");
    }
    version = std::string(v->get_string());
  }
  substitute_ = version == "2012-10-17";
  if (const json::value* id = top.if_contains("Id"); id && !id->is_string()) {
    return Fail(std::string(kSyntax) + " Id must be a string.");
  }
  const json::value* statement = top.if_contains("Statement");
  if (!statement) return Fail("Missing required field Statement");
  std::vector<CompiledStatement> statements;
  if (statement->is_array()) {
    for (const json::value& s : statement->get_array()) {
      auto compiled = Statement(s);
      if (!compiled) return compiled.error();
      statements.push_back(std::move(*compiled));
    }
  } else {
    auto compiled = Statement(*statement);
    if (!compiled) return compiled.error();
    statements.push_back(std::move(*compiled));
  }
  if (statements.empty()) return Fail(std::string(kSyntax) + " Statement must not be empty.");
  return std::make_shared<const CompiledPolicy>(kind_, std::move(policy_id), std::move(version),
                                                std::move(statements));
}

}  // namespace

Result<std::shared_ptr<const CompiledPolicy>> ParsePolicy(std::string_view json, PolicyKind kind,
                                                          std::string policy_id,
                                                          std::string_view owner_account) {
  return Parser(kind, owner_account).Run(json, std::move(policy_id));
}

}  // namespace kura::policy
