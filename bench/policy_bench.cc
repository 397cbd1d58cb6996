// Authorize for a realistic user: three identity policies of ten statements each (wildcards,
// conditions, policy variables) plus a bucket policy, evaluated for an allowed GetObject and for
// an implicitly denied PutObject (which must look at every statement). Also ParsePolicy's cost.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "policy/context_keys.h"
#include "policy/policy.h"

namespace kura::policy {
namespace {

std::string IdentityPolicy(int n) {
  std::string s = R"({"Version":"2012-10-17","Statement":[)";
  for (int i = 0; i < 10; ++i) {
    if (i) s += ",";
    std::string idx = std::to_string(n) + "x" + std::to_string(i);
    switch (i % 5) {
      case 0:
        s +=
            R"({"Sid":"Home)" + std::to_string(i) +
            R"(","Effect":"Allow","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::data-)" +
            idx + R"(/home/${aws:username}/*"})";
        break;
      case 1:
        s += R"({"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::data-)" + idx +
             R"(","Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}})";
        break;
      case 2:
        s += R"({"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::data-)" + idx +
             R"(/*","Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]}}})";
        break;
      case 3:
        s +=
            R"({"Effect":"Allow","Action":["sqs:Send*","sqs:Receive*"],"Resource":"arn:aws:sqs:*:111122223333:queue-)" +
            idx + R"("})";
        break;
      default:
        s +=
            R"({"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::shared-)" + idx +
            R"(/*/team/${aws:PrincipalTag/team}/*","Condition":{"Bool":{"aws:SecureTransport":"true"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}})";
    }
  }
  return s + "]}";
}

constexpr char kBucketPolicy[] = R"({"Version":"2012-10-17","Statement":[
  {"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::bucket","arn:aws:s3:::bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
  {"Sid":"Team","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:user/bob","arn:aws:iam::111122223333:root"]},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}},
  {"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/public/*"}]})";

struct Fixture {
  std::vector<std::shared_ptr<const CompiledPolicy>> identity;
  std::shared_ptr<const CompiledPolicy> bucket;
  Principal alice;
  RequestContext context;
  AuthorizationInput input;

  Fixture() {
    for (int n = 0; n < 3; ++n) {
      identity.push_back(*ParsePolicy(IdentityPolicy(n), PolicyKind::kIdentity, "p"));
    }
    bucket = *ParsePolicy(kBucketPolicy, PolicyKind::kResource, "bucket");
    alice.type = PrincipalType::kUser;
    alice.account_id = "111122223333";
    alice.arn = "arn:aws:iam::111122223333:user/alice";
    alice.user_id = "AIDAALICE";
    alice.user_name = "alice";
    RequestFacts facts;
    facts.now = FromUnixSeconds(1'700'000'000);
    facts.secure_transport = true;
    facts.source_ip = "10.1.2.3";
    facts.principal_tags = {{"team", "blue"}};
    context = BuildRequestContext(alice, facts);
    for (const auto& p : identity) input.identity_policies.push_back(p.get());
    input.resource_policy = bucket.get();
  }
};

void BM_AuthorizeAllowedViaLastIdentityPolicy(benchmark::State& state) {
  Fixture f;
  Request r{.action = "s3:GetObject",
            .resource = "arn:aws:s3:::shared-2x9/x/team/blue/report.csv",
            .principal = f.alice,
            .context = f.context};
  if (Authorize(f.input, r).decision != Decision::kAllow) state.SkipWithError("expected allow");
  for (auto _ : state) benchmark::DoNotOptimize(Authorize(f.input, r));
}
BENCHMARK(BM_AuthorizeAllowedViaLastIdentityPolicy);

void BM_AuthorizeImplicitDenyScansEverything(benchmark::State& state) {
  Fixture f;
  Request r{.action = "s3:PutObject",
            .resource = "arn:aws:s3:::other/key",
            .principal = f.alice,
            .context = f.context};
  if (Authorize(f.input, r).decision != Decision::kImplicitDeny)
    state.SkipWithError("expected deny");
  for (auto _ : state) benchmark::DoNotOptimize(Authorize(f.input, r));
}
BENCHMARK(BM_AuthorizeImplicitDenyScansEverything);

void BM_ParseIdentityPolicyOfTenStatements(benchmark::State& state) {
  std::string doc = IdentityPolicy(0);
  for (auto _ : state) benchmark::DoNotOptimize(ParsePolicy(doc, PolicyKind::kIdentity, "p"));
}
BENCHMARK(BM_ParseIdentityPolicyOfTenStatements);

void BM_BuildRequestContext(benchmark::State& state) {
  Fixture f;
  RequestFacts facts;
  facts.source_ip = "10.1.2.3";
  for (auto _ : state) benchmark::DoNotOptimize(BuildRequestContext(f.alice, facts));
}
BENCHMARK(BM_BuildRequestContext);

}  // namespace
}  // namespace kura::policy
