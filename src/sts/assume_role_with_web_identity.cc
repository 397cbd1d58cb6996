// AssumeRoleWithWebIdentity: temporary credentials for a role, in exchange for an OpenID Connect
// ID token from a provider registered in IAM; the call is unsigned.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html
// Order of checks: parameters (ValidationError), the token's form (InvalidIdentityToken), its
// issuer against the registered providers (InvalidIdentityToken), the token itself
// (oidc::VerifyIdToken: algorithm, audience, key, signature, times — InvalidIdentityToken,
// ExpiredTokenException, IDPCommunicationError), the session tag claim (IDPRejectedClaim), the
// session policy (MalformedPolicyDocument), the role's trust policy for
// sts:AssumeRoleWithWebIdentity (+ sts:TagSession with tags) with the provider as the
// {"Federated": ARN} principal and the provider's condition keys HOST/PATH:aud, :oaud, :sub,
// :amr, :azp, :email (AccessDenied, the same for a missing role), DurationSeconds against the
// role, PolicyArns, then the sealed token. The condition keys are sealed into the session and
// set on each of its requests, so a role policy can confine a user to "${HOST/PATH:sub}/*".
#include <boost/json/object.hpp>

#include "common/limits.h"
#include "oidc/id_token_verifier.h"
#include "oidc/jwt.h"
#include "policy/arn.h"
#include "policy/context_keys.h"
#include "policy/policy.h"
#include "sts/session_issue.h"
#include "sts/session_principal.h"
#include "sts/sts_params.h"

namespace kura::sts {
namespace {

constexpr int64_t kMaxRoleSessionSeconds = 43200;
constexpr size_t kMaxTagKeyChars = 128;
constexpr size_t kMaxTagValueChars = 256;

struct WebIdentityRequest {
  std::string role_arn;
  std::string session_name;
  std::string token;
  std::optional<int64_t> duration_seconds;
  std::optional<std::string> policy;
  std::vector<std::string> policy_arns;
};

using ContextKeys = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct SessionTags {
  TagList tags;
  std::vector<std::string> transitive_keys;
};

Result<WebIdentityRequest> ParseRequest(const query::QueryCall& call, const StsConfig& config) {
  WebIdentityRequest r;
  r.role_arn = call.Param("RoleArn");
  r.session_name = call.Param("RoleSessionName");
  r.token = call.Param("WebIdentityToken");
  auto duration = IntParam(call, "DurationSeconds");
  if (!duration) return duration.error();
  r.duration_seconds = *duration;
  if (call.Has("Policy")) r.policy = call.Param("Policy");
  r.policy_arns = ListParam(call, "PolicyArns", ".arn");
  Validator v;
  ValidateRoleAndSessionName(call, r.role_arn, r.session_name, v);
  if (!call.Has("WebIdentityToken")) {
    v.Missing("webIdentityToken");
  } else if (r.token.size() < 4 || r.token.size() > oidc::kMaxJwtChars) {
    v.Add("***", "webIdentityToken",  // the token is a credential: never echoed
          "Member must have length between 4 and " + std::to_string(oidc::kMaxJwtChars));
  }
  if (r.duration_seconds) {
    v.Range("durationSeconds", *r.duration_seconds, config.min_duration_seconds,
            kMaxRoleSessionSeconds);
  }
  if (r.policy) v.Text("policy", *r.policy, 1, limits::kMaxSessionPolicyChars);
  v.ListSize("policyArns", "[…]", r.policy_arns.size(), limits::kMaxSessionPolicyArns);
  for (const std::string& arn : r.policy_arns) v.Text("policyArns.member.arn", arn, 20, 2048);
  KURA_TRY(v.Finish());
  return r;
}

Error RejectedClaim(std::string_view why) {
  return MakeError(ErrorCode::kIDPRejectedClaim, "The " + std::string(oidc::kAwsTagsClaim) +
                                                     " claim is invalid: " + std::string(why));
}

// Session tags from the token's https://aws.amazon.com/tags claim:
// {"principal_tags": {"KEY": ["VALUE"]}, "transitive_tag_keys": ["KEY"]}
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-idp).
Result<SessionTags> TagsFromToken(const boost::json::object& claims) {
  SessionTags out;
  const boost::json::value* claim = claims.if_contains(oidc::kAwsTagsClaim);
  if (claim == nullptr) return out;
  if (!claim->is_object()) return RejectedClaim("not an object");
  const boost::json::value* principal_tags = claim->as_object().if_contains("principal_tags");
  if (principal_tags != nullptr) {
    if (!principal_tags->is_object()) return RejectedClaim("principal_tags is not an object");
    for (const auto& [key, value] : principal_tags->as_object()) {
      std::vector<std::string> values = oidc::ClaimStrings(principal_tags->as_object(), key);
      if (values.size() != 1 || key.empty() || key.size() > kMaxTagKeyChars ||
          values[0].size() > kMaxTagValueChars) {
        return RejectedClaim("bad tag " + std::string(key));
      }
      for (const auto& existing : out.tags) {
        if (TagKeyEquals(existing.first, key)) return RejectedClaim("duplicate tag key");
      }
      out.tags.emplace_back(std::string(key), values[0]);
    }
  }
  for (std::string& key : oidc::ClaimStrings(claim->as_object(), "transitive_tag_keys")) {
    bool known = false;
    for (const auto& tag : out.tags) known = known || TagKeyEquals(tag.first, key);
    if (!known) return RejectedClaim("transitive tag key " + key + " is not a tag");
    out.transitive_keys.push_back(std::move(key));
  }
  if (out.tags.size() > static_cast<size_t>(limits::kMaxSessionTags)) {
    return RejectedClaim("more than 50 tags");
  }
  return out;
}

// The provider's condition keys, "HOST/PATH:claim".
ContextKeys ProviderContext(const OidcProviderInfo& provider, const oidc::Jwt& jwt,
                            const std::string& audience) {
  const std::string& p = provider.key;
  ContextKeys keys = {{p + ":aud", {audience}}, {p + ":sub", {jwt.sub}}, {p + ":oaud", jwt.aud}};
  for (std::string_view claim : {"amr", "azp", "email"}) {
    auto values = oidc::ClaimStrings(jwt.claims, claim);
    if (!values.empty()) keys.emplace_back(p + ":" + std::string(claim), std::move(values));
  }
  return keys;
}

struct TrustInput {
  const Principal& caller;
  const RoleInfo& role;
  const OidcProviderInfo& provider;
  const WebIdentityRequest& request;
  const ContextKeys& keys;
  const SessionTags& tags;
};

Result<void> AuthorizeWithTrust(const StsEnv& env, const query::QueryCall& call,
                                const TrustInput& in) {
  policy::RequestFacts facts;
  facts.now = env.clock.Now();
  facts.secure_transport = call.facts.secure_transport;
  facts.source_ip = std::string(call.facts.source_ip);
  facts.user_agent = std::string(call.facts.user_agent);
  policy::RequestContext c = policy::BuildRequestContext(in.caller, facts);
  c.Set("aws:FederatedProvider", in.provider.arn);
  for (const auto& [key, values] : in.keys) c.SetMulti(key, values);
  c.Set("sts:RoleSessionName", in.request.session_name);
  std::vector<std::string> tag_keys;
  for (const auto& [key, value] : in.tags.tags) {
    c.Set("aws:RequestTag/" + key, value);
    tag_keys.push_back(key);
  }
  c.SetMulti("aws:TagKeys", tag_keys);
  c.SetMulti("sts:TransitiveTagKeys", in.tags.transitive_keys);

  std::vector<std::string_view> actions = {"sts:AssumeRoleWithWebIdentity"};
  if (!in.tags.tags.empty()) actions.push_back("sts:TagSession");
  for (std::string_view action : actions) {
    policy::Request request{action, in.role.arn, in.caller, c, in.provider.arn};
    if (policy::Evaluate(*in.role.trust_policy, request).effect != policy::Effect::kAllow) {
      return MakeError(ErrorCode::kAccessDenied,
                       "Not authorized to perform " + std::string(action));
    }
  }
  return Ok();
}

std::string Render(const SessionClaims& claims, const std::string& token, const oidc::Jwt& jwt,
                   const WebIdentityRequest& r, const std::string& request_id) {
  xml::Writer w("AssumeRoleWithWebIdentityResponse", kStsNamespace);
  w.Open("AssumeRoleWithWebIdentityResult");
  w.Element("SubjectFromWebIdentityToken", claims.web_identity_subject);
  w.Element("Audience", claims.web_identity_audience);
  w.Open("AssumedRoleUser")
      .Element("AssumedRoleId", AssumedRoleId(claims))
      .Element("Arn", policy::AssumedRoleSessionArn(claims.account_id, claims.role_name,
                                                    claims.session_name))
      .Close("AssumedRoleUser");
  WriteCredentials(w, claims, token);
  w.Element("Provider", jwt.iss);
  if (r.policy || !r.policy_arns.empty() || !claims.tags.empty()) {
    w.Element("PackedPolicySize", static_cast<uint64_t>(PackedPolicySizePercent(claims)));
  }
  w.Close("AssumeRoleWithWebIdentityResult");
  return FinishResponse(w, request_id);
}

}  // namespace

Result<std::string> AssumeRoleWithWebIdentity(const StsEnv& env, const query::QueryCall& call) {
  auto request = ParseRequest(call, env.config);
  if (!request) return request.error();
  const WebIdentityRequest& r = *request;
  auto jwt = oidc::ParseJwt(r.token);
  if (!jwt) return jwt.error();
  // The provider must be registered in the role's account (as in AWS, where the token's issuer
  // is looked up in the account that owns the role).
  auto role_arn = policy::ParseArn(r.role_arn);
  std::string_view role_account = role_arn ? role_arn->account : std::string_view();
  auto provider = env.roles.FindOidcProvider(role_account, oidc::ProviderKeyOf(jwt->iss));
  if (provider == nullptr || env.web_identity_keys == nullptr) {
    return MakeError(ErrorCode::kInvalidIdentityToken,
                     "No OpenIDConnect provider found in your account for " + jwt->iss);
  }
  auto audience = oidc::VerifyIdToken(*jwt, {provider->url, provider->client_ids},
                                      *env.web_identity_keys, env.clock.Now());
  if (!audience) return audience.error();
  auto tags = TagsFromToken(jwt->claims);
  if (!tags) return tags.error();
  if (r.policy) {
    KURA_TRY(policy::ParsePolicy(*r.policy, policy::PolicyKind::kSession, "session-policy"));
  }
  ContextKeys keys = ProviderContext(*provider, *jwt, *audience);
  auto role = env.roles.FindRole(r.role_arn);
  if (role == nullptr || role->trust_policy == nullptr) {
    return MakeError(ErrorCode::kAccessDenied,
                     "Not authorized to perform sts:AssumeRoleWithWebIdentity");
  }
  KURA_TRY(AuthorizeWithTrust(env, call, {*call.principal, *role, *provider, r, keys, *tags}));
  auto duration = RoleSessionDuration(*role, r.duration_seconds, /*chained=*/false);
  if (!duration) return duration.error();
  KURA_TRY(CheckPolicyArnsExist(env.roles, r.policy_arns));

  SessionClaims claims =
      NewSessionClaims(env, SessionKind::kWebIdentity, *duration, RoleAccount(*role));
  claims.role_id = role->role_id;
  claims.role_arn = role->arn;
  claims.role_name = role->name;
  claims.session_name = r.session_name;
  claims.session_policy = r.policy.value_or("");
  claims.policy_arns = r.policy_arns;
  claims.tags = std::move(tags->tags);
  claims.transitive_tag_keys = std::move(tags->transitive_keys);
  claims.web_identity_provider_arn = provider->arn;
  claims.web_identity_subject = jwt->sub;
  claims.web_identity_audience = *audience;
  claims.web_identity_context = std::move(keys);
  auto token = env.codec.Seal(claims);
  if (!token) return token.error();
  std::string response = Render(claims, *token, *jwt, r, call.request_id);
  RecordIssued(env, claims, claims.web_identity_provider_arn);  // the provider's user called
  return response;
}

}  // namespace kura::sts
