#include "policy/context_keys.h"

#include <gtest/gtest.h>

#include "policy_test_support.h"

namespace kura::policy {
namespace {

std::string One(const RequestContext& c, std::string_view key) {
  const auto* v = c.Get(key);
  return v == nullptr ? "<absent>" : v->front();
}

RequestFacts Facts() {
  RequestFacts f;
  f.now = FromUnixSeconds(1'600'000'000);
  f.secure_transport = true;
  f.source_ip = "192.0.2.1";
  f.user_agent = "aws-cli/2";
  f.principal_tags = {{"team", "red"}, {"cost", "42"}};
  return f;
}

TEST(ContextKeys, UserKeysAndNoSessionKeys) {
  RequestContext c = BuildRequestContext(testing::User("alice"), Facts());
  EXPECT_EQ(One(c, "aws:PrincipalType"), "User");
  EXPECT_EQ(One(c, "aws:PrincipalArn"), "arn:aws:iam::111122223333:user/alice");
  EXPECT_EQ(One(c, "aws:PrincipalAccount"), "111122223333");
  EXPECT_EQ(One(c, "aws:username"), "alice");
  EXPECT_EQ(One(c, "aws:userid"), "AIDAalice");
  EXPECT_EQ(One(c, "aws:PrincipalTag/team"), "red");
  EXPECT_EQ(One(c, "aws:TokenIssueTime"), "<absent>");
  EXPECT_EQ(One(c, "aws:MultiFactorAuthPresent"), "<absent>");
  EXPECT_EQ(One(c, "aws:CurrentTime"), "2020-09-13T12:26:40Z");
  EXPECT_EQ(One(c, "aws:EpochTime"), "1600000000");
  EXPECT_EQ(One(c, "aws:SecureTransport"), "true");
  EXPECT_EQ(One(c, "aws:SourceIp"), "192.0.2.1");
  EXPECT_EQ(One(c, "aws:UserAgent"), "aws-cli/2");
  EXPECT_EQ(One(c, "aws:Referer"), "<absent>");
}

TEST(ContextKeys, SessionKeysUseTheRoleArnAndSessionTagsOverride) {
  RequestContext c = BuildRequestContext(testing::RoleSession(), Facts());
  EXPECT_EQ(One(c, "aws:PrincipalType"), "AssumedRole");
  EXPECT_EQ(One(c, "aws:PrincipalArn"), testing::kRoleArn);
  EXPECT_EQ(One(c, "aws:userid"), "AROAREADER:app");
  EXPECT_EQ(One(c, "aws:username"), "<absent>");
  EXPECT_EQ(One(c, "aws:PrincipalTag/team"), "blue");
  EXPECT_EQ(One(c, "aws:PrincipalTag/cost"), "42");
  EXPECT_EQ(One(c, "aws:TokenIssueTime"), "2020-09-13T12:26:40Z");
  EXPECT_EQ(One(c, "aws:MultiFactorAuthPresent"), "false");
}

TEST(ContextKeys, RootAndAnonymous) {
  RequestContext root = BuildRequestContext(testing::Root(), Facts());
  EXPECT_EQ(One(root, "aws:PrincipalType"), "Account");
  EXPECT_EQ(One(root, "aws:PrincipalArn"), "arn:aws:iam::111122223333:root");
  RequestContext anon = BuildRequestContext(testing::Anonymous(), Facts());
  EXPECT_EQ(One(anon, "aws:PrincipalType"), "Anonymous");
  EXPECT_EQ(One(anon, "aws:PrincipalAccount"), "<absent>");
  EXPECT_EQ(One(anon, "aws:SourceIp"), "192.0.2.1");
}

TEST(ContextKeys, OrganizationAndResourceAccount) {
  RequestFacts facts = Facts();
  facts.organization_id = "o-0123456789";
  facts.resource_account = "444455556666";
  RequestContext user = BuildRequestContext(testing::User("alice"), facts);
  EXPECT_EQ(One(user, "aws:PrincipalOrgID"), "o-0123456789");
  EXPECT_EQ(One(user, "aws:ResourceAccount"), "444455556666");
  EXPECT_EQ(One(user, "aws:PrincipalAccount"), "111122223333");
  // Anonymous callers belong to no organization; the resource still has its account.
  RequestContext anon = BuildRequestContext(testing::Anonymous(), facts);
  EXPECT_EQ(One(anon, "aws:PrincipalOrgID"), "<absent>");
  EXPECT_EQ(One(anon, "aws:ResourceAccount"), "444455556666");
  EXPECT_EQ(One(BuildRequestContext(testing::Root(), Facts()), "aws:ResourceAccount"), "<absent>");
}

TEST(RequestContext, KeysAreCaseInsensitiveAndEmptyMeansAbsent) {
  RequestContext c;
  c.Set("AWS:SourceIp", "1.2.3.4");
  EXPECT_EQ(One(c, "aws:sourceip"), "1.2.3.4");
  c.Set("aws:sourceIP", "5.6.7.8");
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(One(c, "AWS:SOURCEIP"), "5.6.7.8");
  c.SetMulti("aws:TagKeys", {});
  EXPECT_EQ(c.Get("aws:TagKeys"), nullptr);
  c.Erase("aws:SourceIp");
  EXPECT_EQ(c.Get("aws:SourceIp"), nullptr);
}

}  // namespace
}  // namespace kura::policy
