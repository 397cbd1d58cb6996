// STS's side of the live session registry: every issuance is recorded without secrets, and the
// session credential resolver hands the verifier the session's usage to update.
#include <gtest/gtest.h>

#include "tests/sts/sts_fixture.h"

namespace kura::sts::testing {
namespace {

class SessionRecording : public ::testing::Test {
 protected:
  SessionRecording()
      : registry(std::move(SessionRegistry::Open({}, sts.clock).value())),
        resolver(*sts.codec, sts.clock, &sts.roles, 64, registry.get()) {
    sts.PutRole(TrustJson(kUserArn, R"("sts:AssumeRole","sts:SetSourceIdentity")"));
    sts.service =
        std::make_unique<StsService>(StsConfig{kAccount, 900, {}}, *sts.codec, sts.roles, sts.clock,
                                     sts.random, WebIdentity{}, registry.get());
  }

  StsFixture sts;
  std::unique_ptr<SessionRegistry> registry;
  SessionCredentialResolver resolver;
};

TEST_F(SessionRecording, AssumeRoleRecordsTheSessionWithoutSecrets) {
  auto r = sts.AssumeRole(UserPrincipal(),
                          {{"DurationSeconds", "900"}, {"SourceIdentity", "alice@example.com"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  auto listed = registry->List(kAccount, sts.clock.Now());
  ASSERT_EQ(listed.size(), 1u);
  const LiveSession& s = listed[0];
  EXPECT_EQ(s.access_key_id, ElementText(*r, "AccessKeyId"));
  EXPECT_EQ(s.account_id, kAccount);
  EXPECT_EQ(s.role_arn, kRoleArn);
  EXPECT_EQ(s.role_id, kRoleId);
  EXPECT_EQ(s.session_name, "s3");
  EXPECT_EQ(s.source_identity, "alice@example.com");
  EXPECT_EQ(s.issuer_arn, kUserArn);
  EXPECT_EQ(s.issued_at, TestEpoch());
  EXPECT_EQ(s.expires_at, TestEpoch() + std::chrono::seconds(900));
  EXPECT_FALSE(s.last_used_at.has_value());
}

TEST_F(SessionRecording, FailedAssumeRoleRecordsNothing) {
  sts.PutRole(TrustJson("arn:aws:iam::123456789012:user/someone-else"));
  ASSERT_FALSE(sts.AssumeRole(UserPrincipal()).has_value());
  EXPECT_TRUE(registry->List(kAccount, sts.clock.Now()).empty());
}

TEST_F(SessionRecording, GetSessionTokenRecordsTheUserAsIssuer) {
  auto r = sts.Call(UserPrincipal(), "GetSessionToken", {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  auto listed = registry->List(kAccount, sts.clock.Now());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].access_key_id, ElementText(*r, "AccessKeyId"));
  EXPECT_EQ(listed[0].role_arn, "");
  EXPECT_EQ(listed[0].session_name, "");
  EXPECT_EQ(listed[0].issuer_arn, kUserArn);
}

TEST_F(SessionRecording, TheResolvedCredentialCarriesTheSessionsUsage) {
  auto r = sts.AssumeRole(UserPrincipal());
  ASSERT_TRUE(r.has_value());
  std::string key = ElementText(*r, "AccessKeyId");
  auto resolved = resolver.Resolve(key, ElementText(*r, "SessionToken"));
  ASSERT_TRUE(resolved.has_value()) << resolved.error().message;
  ASSERT_NE(resolved->use, nullptr);
  resolved->use->Used(TestEpoch() + std::chrono::seconds(30), "203.0.113.5", "s3", "us-east-1");
  // The cached credential (second Resolve) carries the same usage.
  auto again = resolver.Resolve(key, ElementText(*r, "SessionToken"));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->use, resolved->use);
  auto listed = registry->List(kAccount, sts.clock.Now());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].last_used_at, TestEpoch() + std::chrono::seconds(30));
  EXPECT_EQ(listed[0].last_used_from, "203.0.113.5");
}

TEST_F(SessionRecording, AResolverWithoutTheRegistryCarriesNoUsage) {
  auto r = sts.AssumeRole(UserPrincipal());  // the fixture's own resolver has no registry
  ASSERT_TRUE(r.has_value());
  auto resolved =
      sts.resolver.Resolve(ElementText(*r, "AccessKeyId"), ElementText(*r, "SessionToken"));
  ASSERT_TRUE(resolved.has_value());
  EXPECT_EQ(resolved->use, nullptr);
}

}  // namespace
}  // namespace kura::sts::testing
