// ListSessions: a kura extension to the IAM API (AWS has no such action) listing the live STS
// sessions of the caller's account — the console's "live sessions" page and
// `kura sts list-sessions`. The contract is docs/operations.md, "Live STS sessions": authorized
// as kura:ListSessions (on the role's ARN with RoleName, else "*"), paginated as every IAM List*
// (Marker, MaxItems, IsTruncated), newest first, never a secret.
// A session is listed while it would still authenticate and is not denied everything:
//  - not expired;
//  - a role session's role still exists with the role id it was issued for (deleting a role,
//    or re-creating it under the same name, ends its sessions: sts/session_resolver.h);
//  - not revoked: no Deny in the role's policies (identity and boundary) applies to every
//    action on every resource for it — what AWS's "Revoke active sessions" and
//    `kura sts revoke-sessions` put (AWSRevokeOlderSessions: Deny * on * when
//    aws:TokenIssueTime is before the cut-off). Deleting that policy makes the sessions live
//    again, so this is decided at each call, not stored.
#include <cstdint>
#include <cstdio>
#include <map>

#include "common/time_format.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"
#include "policy/arn.h"
#include "policy/context_keys.h"
#include "policy/policy.h"

namespace kura::iam::handlers {
namespace {

// An action and a resource no real request names: only a statement that matches every action
// on every resource ("Action": "*" / NotAction, "Resource": "*" / NotResource) matches both.
constexpr std::string_view kEveryAction = "kura:EveryActionProbe";
constexpr std::string_view kEveryResource = "*";

// The session as its own requests present it to the policies (principal, aws:TokenIssueTime).
Principal SessionPrincipal(const LiveSession& s, const Role& role) {
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account_id = s.account_id;
  p.arn = policy::AssumedRoleSessionArn(s.account_id, role.name, s.session_name);
  p.user_id = role.id + ":" + s.session_name;
  p.access_key_id = s.access_key_id;
  SessionInfo info;
  info.role_id = role.id;
  info.role_arn = role.arn;
  info.role_name = role.name;
  info.session_name = s.session_name;
  info.issued_at = s.issued_at;
  info.expires_at = s.expires_at;
  info.source_identity = s.source_identity;
  p.session = std::move(info);
  return p;
}

bool DeniedEverything(const LiveSession& s, const Role& role, const EffectivePolicies& policies,
                      TimePoint now) {
  Principal principal = SessionPrincipal(s, role);
  policy::RequestFacts facts;
  facts.now = now;
  policy::RequestContext context = policy::BuildRequestContext(principal, facts);
  policy::Request request{kEveryAction, kEveryResource, principal, context};
  for (const policy::CompiledPolicy* p : policies.identity) {
    if (policy::Evaluate(*p, request).effect == policy::Effect::kDeny) return true;
  }
  return policies.boundary != nullptr &&
         policy::Evaluate(*policies.boundary, request).effect == policy::Effect::kDeny;
}

// Whether a role session would still be let in (see the file comment). GetSessionToken
// sessions act as their user and are listed until they expire.
bool StillLive(const IdentitySnapshot& snapshot, const LiveSession& s, TimePoint now) {
  if (s.role_arn.empty()) return true;
  const Role* role = snapshot.FindRoleByArn(s.role_arn);
  if (role == nullptr || role->id != s.role_id) return false;
  return !DeniedEverything(s, *role, snapshot.ForRole(*role), now);
}

// Newest first, then by access key id: the sort key Paginate orders and marks pages by.
std::string OrderKey(const LiveSession& s) {
  char newest_first[24];
  std::snprintf(newest_first, sizeof newest_first, "%020lld",
                static_cast<long long>(INT64_MAX - UnixSeconds(s.issued_at)));
  return std::string(newest_first) + "/" + s.access_key_id;
}

void WriteSession(xml::Writer& w, const LiveSession& s) {
  w.Open("member").Element("AccessKeyId", s.access_key_id);
  if (!s.role_arn.empty()) w.Element("RoleArn", s.role_arn);
  if (!s.session_name.empty()) w.Element("RoleSessionName", s.session_name);
  if (!s.source_identity.empty()) w.Element("SourceIdentity", s.source_identity);
  if (!s.issuer_arn.empty()) w.Element("IssuerArn", s.issuer_arn);
  w.Element("IssuedAt", FormatIso8601Seconds(s.issued_at))
      .Element("Expiration", FormatIso8601Seconds(s.expires_at));
  if (s.last_used_at) {
    w.Element("LastUsedAt", FormatIso8601Seconds(*s.last_used_at));
    if (!s.last_used_from.empty()) w.Element("LastUsedFrom", s.last_used_from);
  }
  w.Close("member");
}

}  // namespace

net::awaitable<Result<std::string>> ListSessions(IamCall& call) {
  const LiveSessionSource* source = call.env().sessions;
  if (source == nullptr) {
    co_return MakeError(ErrorCode::kValidationError,
                        "The live session registry is disabled (kura serve "
                        "--sts-max-live-sessions 0).");
  }
  std::string role_arn;
  if (call.Has("RoleName")) {
    auto name = call.Name("RoleName", "roleName");
    if (!name) co_return name.error();
    const Role* role = call.snapshot().FindRoleByName(*name);
    if (role == nullptr) co_return NoSuchEntity("role", *name);
    role_arn = role->arn;
  }
  const TimePoint now = call.now();
  std::map<std::string, LiveSession> listed;  // by OrderKey
  for (LiveSession& s : source->List(call.account(), now)) {
    if (!role_arn.empty() && s.role_arn != role_arn) continue;
    if (!StillLive(call.snapshot(), s, now)) continue;
    std::string key = OrderKey(s);
    listed.emplace(std::move(key), std::move(s));
  }
  std::vector<std::string> keys;
  keys.reserve(listed.size());
  for (const auto& [key, s] : listed) keys.push_back(key);
  auto page = Paginate(call, keys);
  if (!page) co_return page.error();
  auto& w = call.Start();
  w.Open("Sessions");
  for (size_t i = page->begin; i < page->end; ++i) WriteSession(w, listed.at(keys[i]));
  w.Close("Sessions");
  WritePageTail(w, *page);
  co_return call.Finish();
}

}  // namespace kura::iam::handlers
