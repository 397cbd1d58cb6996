// IamAuthorizer::Authorize for a realistic IAM user, the cost every request pays: 100 users in
// the account; the user has two inline policies, three attached managed policies and two groups
// (each with an inline and an attached policy), about ten statements per policy with wildcards,
// conditions and policy variables; plus a permissions boundary. Measured for an allowed
// GetObject (decided early), an implicitly denied PutObject (every statement looked at), and an
// assumed-role session with a session policy. Also the credential resolver's lookup.
#include <benchmark/benchmark.h>

#include <string>

#include "iam/iam_authorizer.h"
#include "iam/iam_credential_resolver.h"
#include "iam/identity_codec.h"
#include "policy/arn.h"
#include "policy/resolved_identity.h"
#include "policy/policy.h"

namespace kura::iam {
namespace {

constexpr const char* kAccount = "111122223333";

std::string PolicyDoc(const std::string& tag) {
  std::string s = R"({"Version":"2012-10-17","Statement":[)";
  for (int i = 0; i < 10; ++i) {
    if (i) s += ",";
    std::string b = "data-" + tag + "-" + std::to_string(i);
    switch (i % 4) {
      case 0:
        s += R"({"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::)" +
             b + R"(/home/${aws:username}/*"})";
        break;
      case 1:
        s += R"({"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::)" + b +
             R"(","Condition":{"StringLike":{"s3:prefix":["","home/${aws:username}/*"]}}})";
        break;
      case 2:
        s += R"({"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::)" + b +
             R"(","Condition":{"Bool":{"aws:SecureTransport":"false"}}})";
        break;
      default:
        s += R"({"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::)" + b +
             R"(/*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}})";
    }
  }
  return s + "]}";
}

CompiledPolicyPtr Compile(const std::string& doc, const std::string& id) {
  return *CompileIdentityPolicy(doc, id);
}

std::shared_ptr<ManagedPolicy> Managed(const std::string& name, const std::string& doc) {
  auto p = std::make_shared<ManagedPolicy>();
  p->name = name;
  p->arn = IamArn(kAccount, "policy", "/", name);
  p->default_version_id = "v1";
  p->versions.push_back(PolicyVersion{"v1", doc, {}, Compile(doc, p->arn)});
  return p;
}

class Source final : public IdentitySource {
 public:
  Source() {
    IdentityState s;
    s.account_id = kAccount;
    for (int i = 0; i < 8; ++i) {
      auto p = Managed("m" + std::to_string(i), PolicyDoc("m" + std::to_string(i)));
      s.policies[p->name] = p;
    }
    s.policies["boundary"] = Managed(
        "boundary", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})");
    for (int g = 0; g < 2; ++g) {
      auto group = std::make_shared<Group>();
      group->name = "g" + std::to_string(g);
      group->inline_policies.push_back({"gi", "", Compile(PolicyDoc("g" + std::to_string(g)), "gi")});
      group->attached_policy_arns.push_back(s.policies["m" + std::to_string(5 + g)]->arn);
      s.groups[group->name] = group;
    }
    for (int u = 0; u < 100; ++u) {
      auto user = std::make_shared<User>();
      user->name = "user" + std::to_string(u);
      user->id = "AIDA" + std::to_string(1000000000000000 + u);
      user->arn = IamArn(kAccount, "user", "/", user->name);
      user->inline_policies.push_back({"a", "", Compile(PolicyDoc("ua"), "a")});
      user->inline_policies.push_back({"b", "", Compile(PolicyDoc("ub"), "b")});
      for (int m = 0; m < 3; ++m) user->attached_policy_arns.push_back(s.policies["m" + std::to_string(m)]->arn);
      user->groups = {"g0", "g1"};
      user->boundary_arn = s.policies["boundary"]->arn;
      user->access_keys.push_back(AccessKey{"AKIA" + std::to_string(1000000000000000 + u), Secret("x"), true, {}});
      s.users[user->name] = user;
    }
    auto role = std::make_shared<Role>();
    role->name = "app";
    role->id = "AROAAPPAPPAPPAPPAPPA";
    role->arn = IamArn(kAccount, "role", "/", "app");
    role->inline_policies.push_back({"r", "", Compile(PolicyDoc("role"), "r")});
    role->attached_policy_arns.push_back(s.policies["m3"]->arn);
    s.roles["app"] = role;
    s.account = std::make_shared<const AccountInfo>(AccountInfo{.id = kAccount, .management = true});
    auto snapshot = std::make_shared<const IdentitySnapshot>(std::move(s));
    directory_ = std::make_shared<const IdentityDirectory>(
        kAccount, std::map<std::string, std::shared_ptr<const IdentitySnapshot>>{{kAccount, snapshot}});
  }
  std::shared_ptr<const IdentityDirectory> Directory() const override { return directory_; }

 private:
  std::shared_ptr<const IdentityDirectory> directory_;
};

Principal UserPrincipalFor(const IdentitySnapshot& snap) {
  return *UserPrincipal(*snap.FindUser("user42"), kAccount, "AKIA1000000000000042");
}

policy::RequestAttributes Facts() {
  policy::RequestAttributes f;
  f.source_ip = "10.1.2.3";
  f.bucket = "data-ua-3";
  f.content_sha256 = "UNSIGNED-PAYLOAD";
  f.auth_type = "REST-HEADER";
  return f;
}

void BM_AuthorizeUserAllowedGetObject(benchmark::State& state) {
  Source source;
  SystemClock clock;
  IamAuthorizer auth(source, clock, "us-east-1");
  Principal p = UserPrincipalFor(*source.Current(kAccount));
  auto facts = Facts();
  for (auto _ : state) {
    auto r = auth.Authorize(p, "s3:GetObject", "arn:aws:s3:::data-ua-3/report.csv", facts);
    if (!r) state.SkipWithError("denied");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_AuthorizeUserAllowedGetObject);

void BM_AuthorizeUserImplicitlyDeniedPutObject(benchmark::State& state) {
  Source source;
  SystemClock clock;
  IamAuthorizer auth(source, clock, "us-east-1");
  Principal p = UserPrincipalFor(*source.Current(kAccount));
  auto facts = Facts();
  for (auto _ : state) {
    auto r = auth.Authorize(p, "s3:PutObject", "arn:aws:s3:::data-ua-3/report.csv", facts);
    if (r) state.SkipWithError("allowed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_AuthorizeUserImplicitlyDeniedPutObject);

void BM_AuthorizeRoleSessionWithSessionPolicy(benchmark::State& state) {
  Source source;
  SystemClock clock;
  IamAuthorizer auth(source, clock, "us-east-1");
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account_id = kAccount;
  p.arn = policy::AssumedRoleSessionArn(kAccount, "app", "s");
  p.user_id = "AROAAPPAPPAPPAPPAPPA:s";
  SessionInfo s;
  s.role_arn = IamArn(kAccount, "role", "/", "app");
  s.role_id = "AROAAPPAPPAPPAPPAPPA";
  s.role_name = "app";
  s.session_name = "s";
  s.has_session_policy = true;
  auto session_policy = Compile(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::data-role-3/*"}]})",
      "session");
  p.session = s;
  // What the session resolver hands the authorizer: the role's policies from one snapshot.
  auto snapshot = source.Current(kAccount);
  const EffectivePolicies& e = snapshot->ForRole(*snapshot->FindRoleByArn(s.role_arn));
  policy::ResolvedIdentity resolved;
  resolved.principal = &p;
  resolved.identity = e.identity;
  resolved.boundary = e.boundary;
  resolved.session_policies = {session_policy.get()};
  auto facts = Facts();
  facts.grants = &resolved;
  for (auto _ : state) {
    auto r = auth.Authorize(p, "s3:GetObject", "arn:aws:s3:::data-role-3/x", facts);
    if (!r) state.SkipWithError("denied");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_AuthorizeRoleSessionWithSessionPolicy);

void BM_ResolveUserAccessKey(benchmark::State& state) {
  Source source;
  SystemClock clock;
  KeyUsageTracker usage{"us-east-1"};
  IamCredentialResolver resolver(source, usage);
  for (auto _ : state) {
    auto r = resolver.Resolve("AKIA1000000000000042", "");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ResolveUserAccessKey);

}  // namespace
}  // namespace kura::iam
