#include "policy/public_policy.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace kura::policy {
namespace {

// The condition keys (lower-cased, as ConditionClause keeps them) that name who may call, from
// the "The meaning of public" list of the Block Public Access page.
constexpr std::array<std::string_view, 13> kPinningKeys = {
    "aws:sourceip",         "aws:sourcearn",           "aws:sourcevpc",
    "aws:sourcevpce",       "aws:sourceowner",         "aws:sourceaccount",
    "aws:principalaccount", "aws:principalarn",        "aws:principalorgid",
    "aws:userid",           "s3:dataaccesspointarn",   "s3:dataaccesspointaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
};

// AWS treats aws:SourceIp ranges broader than these as public.
constexpr int kNarrowestPublicIpv4Prefix = 8;
constexpr int kNarrowestPublicIpv6Prefix = 32;

bool IsFixed(const ConditionValue& value) {
  const ValueTemplate& text = value.text;
  return !text.has_variables() && text.text().find_first_of("*?") == std::string_view::npos;
}

bool IsNarrowIpBlock(const ConditionValue& value) {
  if (!value.ip) return false;
  return value.ip->prefix_bits >=
         (value.ip->v6 ? kNarrowestPublicIpv6Prefix : kNarrowestPublicIpv4Prefix);
}

// Whether the clause only ever holds for callers named by fixed values of a pinning key.
bool Pins(const ConditionClause& clause) {
  const ConditionOperator& op = clause.op();
  if (op.negated || op.if_exists || op.base == ConditionBase::kNull ||
      op.qualifier == SetQualifier::kForAllValues) {
    return false;
  }
  if (std::ranges::find(kPinningKeys, clause.key()) == kPinningKeys.end()) return false;
  const auto& values = clause.values();
  if (values.empty()) return false;
  if (clause.key() == "aws:sourceip") {
    return op.base == ConditionBase::kIpAddress && std::ranges::all_of(values, IsNarrowIpBlock);
  }
  return std::ranges::all_of(values, IsFixed);
}

bool NamesEveryone(const CompiledStatement& statement) {
  // A statement without a Principal (an identity policy's) is not a resource grant to anyone.
  if (!statement.has_principal) return false;
  // NotPrincipal with Allow grants everyone but the principals it lists.
  return statement.not_principal || statement.principal.everyone;
}

}  // namespace

bool IsPublicStatement(const CompiledStatement& statement) {
  if (!statement.allow || !NamesEveryone(statement)) return false;
  return std::ranges::none_of(statement.conditions, Pins);
}

bool IsPublicPolicy(const CompiledPolicy& policy) {
  return std::ranges::any_of(policy.statements(), IsPublicStatement);
}

}  // namespace kura::policy
