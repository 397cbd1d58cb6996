// The compiled form of one policy document: what ParsePolicy (policy.h) builds and Evaluate
// reads. No JSON survives compilation: actions are lower-cased glob units, resources are glob
// templates (with policy variables when the Version allows them), principals are sorted lists,
// conditions are typed clauses. Thread-safety: immutable once built; share it as
// std::shared_ptr<const CompiledPolicy>.
#pragma once

#include <string>
#include <vector>

#include "policy/condition.h"
#include "policy/value_template.h"
#include "policy/wildcard.h"

namespace kura::policy {

// Which of the four places a document is used; it decides which elements are required or
// prohibited
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#access_policy-types).
enum class PolicyKind {
  kIdentity,  // user/group/role permissions policy and permissions boundary: no Principal
  kResource,  // S3 bucket policy: Principal required
  kTrust,     // role trust policy: Principal required, Resource prohibited
  kSession,   // AssumeRole Policy / PolicyArns: as identity
};

// The Principal or NotPrincipal element.
struct PrincipalSpec {
  bool everyone = false;                     // "*" or {"AWS": "*"}
  std::vector<std::string> accounts;         // 12-digit ids (also from arn:…:root)
  std::vector<std::string> arns;             // users, roles, sessions, federated users
  std::vector<std::string> services;         // "Service"
  std::vector<std::string> federated;        // "Federated"
  std::vector<std::string> canonical_users;  // "CanonicalUser"
};

struct CompiledStatement {
  std::string sid;
  bool allow = false;
  bool has_principal = false;
  bool not_principal = false;
  PrincipalSpec principal;
  bool not_action = false;
  std::vector<GlobPattern> actions;  // lower-cased; matched case-insensitively
  bool has_resource = false;
  bool not_resource = false;
  std::vector<ValueTemplate> resources;
  std::vector<ConditionClause> conditions;  // all must hold
};

class CompiledPolicy {
 public:
  CompiledPolicy(PolicyKind kind, std::string policy_id, std::string version,
                 std::vector<CompiledStatement> statements)
      : kind_(kind),
        policy_id_(std::move(policy_id)),
        version_(std::move(version)),
        statements_(std::move(statements)),
        reads_context_(AnyReadsContext(statements_)) {}

  PolicyKind kind() const { return kind_; }
  // The caller's name for the policy (e.g. its ARN or "inline:user/alice/policyname").
  const std::string& policy_id() const { return policy_id_; }
  // "2012-10-17", "2008-10-17", or empty when the document had no Version.
  const std::string& version() const { return version_; }
  const std::vector<CompiledStatement>& statements() const { return statements_; }
  // Whether evaluating the policy can read the request's condition context (a Condition, or a
  // policy variable in a Resource/NotResource). When false the context may be left empty: the
  // evaluation is the same whatever it holds.
  bool reads_context() const { return reads_context_; }

 private:
  static bool AnyReadsContext(const std::vector<CompiledStatement>& statements) {
    for (const CompiledStatement& s : statements) {
      if (!s.conditions.empty()) return true;
      for (const ValueTemplate& r : s.resources) {
        if (r.has_variables()) return true;
      }
    }
    return false;
  }

  PolicyKind kind_;
  std::string policy_id_;
  std::string version_;
  std::vector<CompiledStatement> statements_;
  bool reads_context_;
};

}  // namespace kura::policy
