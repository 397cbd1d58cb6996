#include "policy/context_keys.h"

#include "common/time_format.h"
#include "policy/arn.h"

namespace kura::policy {
namespace {

void AddPrincipalKeys(const Principal& p, const RequestFacts& facts, RequestContext& c) {
  c.Set("aws:PrincipalType", std::string(PrincipalTypeName(p.type)));
  if (p.IsAnonymous()) return;
  c.Set("aws:PrincipalAccount", p.account_id);
  bool role_session = p.type == PrincipalType::kAssumedRole && p.session.has_value();
  c.Set("aws:PrincipalArn", role_session ? p.session->role_arn : p.arn);
  if (!p.user_id.empty()) c.Set("aws:userid", p.user_id);
  if (p.type == PrincipalType::kUser && !p.user_name.empty()) c.Set("aws:username", p.user_name);
  c.Set("aws:PrincipalIsAWSService", "false");
  if (!facts.organization_id.empty()) c.Set("aws:PrincipalOrgID", facts.organization_id);
  for (const auto& [key, value] : facts.principal_tags) c.Set("aws:PrincipalTag/" + key, value);
  if (!p.session) return;
  const SessionInfo& s = *p.session;
  for (const auto& [key, value] : s.tags) c.Set("aws:PrincipalTag/" + key, value);
  c.Set("aws:TokenIssueTime", FormatIso8601Seconds(s.issued_at));
  c.Set("aws:MultiFactorAuthPresent", "false");
  if (!s.source_identity.empty()) {
    c.Set("aws:SourceIdentity", s.source_identity);
    c.Set("sts:SourceIdentity", s.source_identity);
  }
  if (!s.federated_provider.empty()) c.Set("aws:FederatedProvider", s.federated_provider);
  for (const auto& [key, values] : s.web_identity_context) c.SetMulti(key, values);
}

void AddEnvironmentKeys(const RequestFacts& facts, RequestContext& c) {
  c.Set("aws:CurrentTime", FormatIso8601Seconds(facts.now));
  c.Set("aws:EpochTime", std::to_string(UnixSeconds(facts.now)));
  c.Set("aws:SecureTransport", facts.secure_transport ? "true" : "false");
  c.Set("aws:ViaAWSService", "false");
  if (!facts.source_ip.empty()) c.Set("aws:SourceIp", facts.source_ip);
  if (!facts.user_agent.empty()) c.Set("aws:UserAgent", facts.user_agent);
  if (!facts.referer.empty()) c.Set("aws:Referer", facts.referer);
  if (!facts.region.empty()) c.Set("aws:RequestedRegion", facts.region);
  if (!facts.resource_account.empty()) c.Set("aws:ResourceAccount", facts.resource_account);
}

}  // namespace

std::string_view PrincipalTypeName(PrincipalType type) {
  switch (type) {
    case PrincipalType::kRoot:
      return "Account";
    case PrincipalType::kUser:
      return "User";
    case PrincipalType::kAssumedRole:
      return "AssumedRole";
    case PrincipalType::kFederatedUser:
      return "FederatedUser";
    case PrincipalType::kAnonymous:
      break;
  }
  return "Anonymous";
}

void AddGlobalContextKeys(const Principal& principal, const RequestFacts& facts,
                          RequestContext& context) {
  AddPrincipalKeys(principal, facts, context);
  AddEnvironmentKeys(facts, context);
}

RequestContext BuildRequestContext(const Principal& principal, const RequestFacts& facts) {
  RequestContext context;
  AddGlobalContextKeys(principal, facts, context);
  return context;
}

}  // namespace kura::policy
