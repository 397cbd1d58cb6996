// Block Public Access's definition of a public policy (policy/public_policy.h), case by case
// from "The meaning of public" in the S3 User Guide, and RestrictPublicBuckets in Authorize.
#include "policy/public_policy.h"

#include <gtest/gtest.h>

#include <string>

#include "policy_test_support.h"

namespace kura::policy {
namespace {

// A bucket policy of one statement: `principal` and `condition` as JSON ("" leaves it out).
std::string Statement(const std::string& effect, const std::string& principal,
                      const std::string& condition = "") {
  std::string s = R"({"Version":"2012-10-17","Statement":[{"Effect":")" + effect + R"(",)" +
                  principal +
                  R"(,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*")";
  if (!condition.empty()) s += R"(,"Condition":)" + condition;
  return s + "}]}";
}

bool Public(const std::string& json) {
  auto policy = testing::MustParse(json, PolicyKind::kResource);
  return policy != nullptr && IsPublicPolicy(*policy);
}

TEST(PublicPolicy, AnAllowToEveryoneIsPublic) {
  EXPECT_TRUE(Public(Statement("Allow", R"("Principal":"*")")));
  EXPECT_TRUE(Public(Statement("Allow", R"("Principal":{"AWS":"*"})")));
  // NotPrincipal with Allow grants everyone it does not list.
  EXPECT_TRUE(Public(Statement("Allow", R"("NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/bob"})")));
}

TEST(PublicPolicy, FixedPrincipalsAndDenyStatementsAreNotPublic) {
  EXPECT_FALSE(Public(Statement("Allow", R"("Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"})")));
  EXPECT_FALSE(Public(Statement("Allow", R"("Principal":{"AWS":"111122223333"})")));
  EXPECT_FALSE(Public(Statement("Allow", R"("Principal":{"Service":"logging.s3.amazonaws.com"})")));
  EXPECT_FALSE(Public(Statement("Deny", R"("Principal":"*")")));
}

TEST(PublicPolicy, AConditionWithAFixedValueOfAnIdentifyingKeyPinsTheStatement) {
  const std::string everyone = R"("Principal":"*")";
  for (const char* condition : {
           R"({"StringEquals":{"aws:SourceAccount":"111122223333"}})",
           R"({"StringEquals":{"aws:PrincipalAccount":"111122223333"}})",
           R"({"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}})",
           R"({"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:topic"}})",
           R"({"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}})",
           R"({"StringEquals":{"aws:userid":"AIDAEXAMPLE"}})",
           R"({"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}})",
           R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}})",
           // Another condition beside a pinning one does not unpin it (all must hold).
           R"({"StringEquals":{"aws:SourceAccount":"111122223333"},"Bool":{"aws:SecureTransport":"true"}})",
       }) {
    EXPECT_FALSE(Public(Statement("Allow", everyone, condition))) << condition;
  }
}

TEST(PublicPolicy, WildcardsVariablesBroadRangesAndNegationsPinNothing) {
  const std::string everyone = R"("Principal":"*")";
  for (const char* condition : {
           R"({"StringLike":{"aws:SourceAccount":"1111*"}})",
           R"({"StringEquals":{"aws:SourceAccount":"${aws:username}"}})",
           R"({"StringNotEquals":{"aws:SourceAccount":"111122223333"}})",
           R"({"StringEqualsIfExists":{"aws:SourceAccount":"111122223333"}})",
           R"({"ForAllValues:StringEquals":{"aws:SourceAccount":"111122223333"}})",
           R"({"Null":{"aws:SourceAccount":"false"}})",
           R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}})",
           R"({"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/16"]}})",
           R"({"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}})",
           R"({"StringEquals":{"aws:UserAgent":"my-app"}})",
           R"({"Bool":{"aws:SecureTransport":"true"}})",
           R"({"StringLike":{"aws:userid":"AROAEXAMPLE:*"}})",
       }) {
    EXPECT_TRUE(Public(Statement("Allow", everyone, condition))) << condition;
  }
}

TEST(PublicPolicy, OnePublicStatementMakesThePolicyPublic) {
  EXPECT_TRUE(Public(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
      {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"}]})"));
}

// RestrictPublicBuckets: the policy's Allow no longer reaches callers outside the account; its
// Deny still applies to everyone, and the account's own principals keep what it grants.
TEST(Authorize, RestrictedResourcePolicyGrantsOnlyWithinTheAccount) {
  auto bucket = testing::MustParse(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
      {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret"}]})",
                                   PolicyKind::kResource);
  RequestContext context;
  auto decide = [&](const Principal& p, const char* resource, std::string_view only_account) {
    AuthorizationInput input{.resource_policy = bucket.get(),
                             .resource_policy_only_for_account = only_account};
    return Authorize(input, Request{.action = "s3:GetObject", .resource = resource,
                                    .principal = p, .context = context})
        .decision;
  };
  Principal anonymous = testing::Anonymous();
  Principal alice = testing::User("alice");
  Principal stranger = testing::User("mallory");
  stranger.account_id = "444455556666";
  stranger.arn = "arn:aws:iam::444455556666:user/mallory";
  EXPECT_EQ(decide(anonymous, "arn:aws:s3:::b/a", ""), Decision::kAllow);
  EXPECT_EQ(decide(anonymous, "arn:aws:s3:::b/a", testing::kAccount), Decision::kImplicitDeny);
  EXPECT_EQ(decide(stranger, "arn:aws:s3:::b/a", testing::kAccount), Decision::kImplicitDeny);
  EXPECT_EQ(decide(alice, "arn:aws:s3:::b/a", testing::kAccount), Decision::kAllow);
  EXPECT_EQ(decide(alice, "arn:aws:s3:::b/secret", testing::kAccount), Decision::kExplicitDeny);
}

}  // namespace
}  // namespace kura::policy
