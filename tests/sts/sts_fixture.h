// A complete in-process STS for tests and benchmarks: a MemoryRoleDirectory with one user, a
// FakeClock, a seeded Random, an in-memory key ring, the codec, the service and the session
// resolver; helpers to make calls as a principal and to read response elements.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "policy/policy.h"
#include "sts/memory_role_directory.h"
#include "sts/session_resolver.h"
#include "sts/sts_service.h"
#include "tests/sts/test_claims.h"

namespace kura::sts::testing {

inline constexpr char kAccount[] = "123456789012";
inline constexpr char kUserArn[] = "arn:aws:iam::123456789012:user/alice";
inline constexpr char kRoleArn[] = "arn:aws:iam::123456789012:role/app/uploader";
inline constexpr char kRoleId[] = "AROAUPLOADERROLE0001";

inline std::shared_ptr<const policy::CompiledPolicy> Compile(const std::string& json,
                                                             policy::PolicyKind kind) {
  auto p = policy::ParsePolicy(json, kind, "test");
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message) << "\n" << json;
  return p ? *p : nullptr;
}

// A trust policy allowing `principal` (an ARN, or a JSON array of them) the given actions, with
// an optional condition block.
inline std::string TrustJson(const std::string& principal,
                             const std::string& actions = R"("sts:AssumeRole")",
                             const std::string& condition = "") {
  std::string aws = principal.starts_with("[") ? principal : "\"" + principal + "\"";
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":)" + aws +
         R"(},"Action":[)" + actions + "]" +
         (condition.empty() ? "" : R"(,"Condition":)" + condition) + "}]}";
}

inline std::string AllowJson(const std::string& action, const std::string& resource,
                             const std::string& effect = "Allow") {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":")" + effect + R"(","Action":")" +
         action + R"(","Resource":")" + resource + R"("}]})";
}

// The user and the role itself (for role chaining back into the same role).
inline std::string UserAndRole() {
  return std::string("[\"") + kUserArn + "\",\"" + kRoleArn + "\"]";
}

inline Principal UserPrincipal() {
  Principal p;
  p.type = PrincipalType::kUser;
  p.account_id = kAccount;
  p.arn = kUserArn;
  p.user_id = "AIDAALICEUSER0000001";
  p.user_name = "alice";
  p.access_key_id = "AKIAALICEKEY00000001";
  return p;
}

inline Principal RootPrincipal() {
  Principal p;
  p.type = PrincipalType::kRoot;
  p.account_id = kAccount;
  p.arn = std::string("arn:aws:iam::") + kAccount + ":root";
  p.user_id = kAccount;
  p.access_key_id = "AKIAROOTKEY000000001";
  return p;
}

// The text of the first <name>…</name> in `xml` ("" if absent).
inline std::string ElementText(const std::string& xml, const std::string& name) {
  size_t open = xml.find("<" + name + ">");
  if (open == std::string::npos) return "";
  open += name.size() + 2;
  size_t close = xml.find("</" + name + ">", open);
  return close == std::string::npos ? "" : xml.substr(open, close - open);
}

class StsFixture {
 public:
  explicit StsFixture(int min_duration = 900)
      : clock(TestEpoch()),
        random(7),
        ring(TestRing(random)),
        codec(std::move(TokenCodec::Create(*ring, random).value())),
        service(std::make_unique<StsService>(StsConfig{kAccount, min_duration, {}}, *codec, roles,
                                             clock, random)),
        resolver(*codec, clock, &roles) {
    PutRole(TrustJson(kUserArn));
  }

  // Rebuilds the service with AssumeRoleWithWebIdentity's dependencies.
  void EnableWebIdentity(WebIdentity web_identity) {
    StsConfig config{kAccount, 900, {}};
    service = std::make_unique<StsService>(config, *codec, roles, clock, random, web_identity);
  }

  void PutRole(const std::string& trust_json, int max_session_seconds = 3600,
               const std::string& role_id = kRoleId) {
    RoleInfo role;
    role.role_id = role_id;
    role.arn = kRoleArn;
    role.name = "uploader";
    role.path = "/app/";
    role.max_session_seconds = max_session_seconds;
    role.trust_policy = Compile(trust_json, policy::PolicyKind::kTrust);
    roles.PutRole(std::move(role));
  }

  // Gives the principal ARN (user ARN, or role ARN for sessions) these identity policies.
  void PutIdentityPolicy(const std::string& owner_arn, const std::string& json, TagList tags = {}) {
    CallerPolicies policies;
    policies.identity.push_back(Compile(json, policy::PolicyKind::kIdentity));
    policies.tags = std::move(tags);
    roles.PutCallerPolicies(owner_arn, std::move(policies));
  }

  Result<std::string> Call(const Principal& caller, const std::string& action,
                           std::map<std::string, std::string> params) {
    query::QueryCall call;
    call.action = action;
    call.params = std::move(params);
    call.params["Action"] = action;
    call.params["Version"] = "2011-06-15";
    call.principal = std::make_shared<Principal>(caller);
    call.request_id = "REQ0001";
    call.facts.source_ip = "192.0.2.7";
    return service->HandleNow(call);
  }

  Result<std::string> AssumeRole(const Principal& caller,
                                 std::map<std::string, std::string> params = {}) {
    params.emplace("RoleArn", kRoleArn);
    params.emplace("RoleSessionName", "s3");
    return Call(caller, "AssumeRole", std::move(params));
  }

  // The principal requests signed with the response's credentials act as.
  std::shared_ptr<const Principal> SessionOf(const std::string& response) {
    auto resolved = resolver.Resolve(ElementText(response, "AccessKeyId"),
                                     ElementText(response, "SessionToken"));
    EXPECT_TRUE(resolved.has_value()) << (resolved ? "" : resolved.error().message);
    return resolved ? resolved->principal : nullptr;
  }

  FakeClock clock;
  FakeRandom random;
  std::unique_ptr<TokenKeyRing> ring;
  std::unique_ptr<TokenCodec> codec;
  MemoryRoleDirectory roles;
  std::unique_ptr<StsService> service;
  SessionCredentialResolver resolver;
};

}  // namespace kura::sts::testing
