// Fills a RequestContext with the global condition keys AWS sets for every request, from the
// authenticated Principal and plain request facts (so this stays HTTP-free).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// Keys set: aws:PrincipalArn (the role ARN for an assumed-role session), aws:PrincipalAccount,
// aws:PrincipalType ("Account" | "User" | "AssumedRole" | "FederatedUser" | "Anonymous"),
// aws:userid, aws:username (IAM users only), aws:PrincipalTag/<key> (the user's or role's tags,
// overridden by session tags), aws:TokenIssueTime and aws:MultiFactorAuthPresent=false
// (temporary credentials only; absent for long-term keys, as AWS does), aws:SourceIdentity and
// sts:SourceIdentity, aws:FederatedProvider, aws:CurrentTime, aws:EpochTime,
// aws:SecureTransport, aws:SourceIp, aws:UserAgent, aws:Referer, aws:RequestedRegion,
// aws:PrincipalIsAWSService=false, aws:ViaAWSService=false, aws:PrincipalOrgID (signed requests;
// kura has one organization) and aws:ResourceAccount (when the resource's owner is known).
// Service keys (s3:prefix, …) are the
// caller's to add. Thread-safety: pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/principal.h"
#include "policy/request_context.h"

namespace kura::policy {

struct RequestFacts {
  TimePoint now;
  bool secure_transport = false;
  std::string source_ip;   // textual IPv4/IPv6; empty = unknown
  std::string user_agent;  // empty = absent
  std::string referer;     // empty = absent
  std::string region;      // aws:RequestedRegion; empty = absent
  // The IAM user's or role's own tags (session tags in Principal override them).
  std::vector<std::pair<std::string, std::string>> principal_tags;
  std::string organization_id{};   // aws:PrincipalOrgID (policy::OrganizationId); empty = absent
  std::string resource_account{};  // aws:ResourceAccount; empty = absent
};

// Adds the keys above to `context` (replacing any of the same name).
void AddGlobalContextKeys(const Principal& principal, const RequestFacts& facts,
                          RequestContext& context);

// A fresh context holding exactly the global keys.
RequestContext BuildRequestContext(const Principal& principal, const RequestFacts& facts);

// The value of aws:PrincipalType for a principal.
std::string_view PrincipalTypeName(PrincipalType type);

}  // namespace kura::policy
