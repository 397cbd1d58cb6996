#include <gtest/gtest.h>

#include "common/time_format.h"
#include "tests/sts/sts_fixture.h"

namespace kura::sts::testing {
namespace {

std::string ExpirationAfter(std::chrono::seconds s) { return FormatIso8601Seconds(TestEpoch() + s); }

TEST(GetSessionToken, UsersGetTwelveHoursByDefault) {
  StsFixture sts;
  auto r = sts.Call(UserPrincipal(), "GetSessionToken", {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_NE(r->find("<GetSessionTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                    "<GetSessionTokenResult><Credentials><AccessKeyId>ASIA"),
            std::string::npos)
      << *r;
  EXPECT_EQ(ElementText(*r, "Expiration"), ExpirationAfter(std::chrono::hours(12)));
}

TEST(GetSessionToken, DurationIsBetweenTheMinimumAndThirtySixHours) {
  StsFixture sts;
  auto ok = sts.Call(UserPrincipal(), "GetSessionToken", {{"DurationSeconds", "129600"}});
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ElementText(*ok, "Expiration"), ExpirationAfter(std::chrono::hours(36)));
  auto low = sts.Call(UserPrincipal(), "GetSessionToken", {{"DurationSeconds", "899"}});
  ASSERT_FALSE(low.has_value());
  EXPECT_EQ(low.error().message,
            "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy "
            "constraint: Member must have value greater than or equal to 900");
  auto high = sts.Call(UserPrincipal(), "GetSessionToken", {{"DurationSeconds", "129601"}});
  ASSERT_FALSE(high.has_value());
  EXPECT_EQ(high.error().code, ErrorCode::kValidationError);
}

TEST(GetSessionToken, RootSessionsLastAtMostOneHour) {
  StsFixture sts;
  auto r = sts.Call(RootPrincipal(), "GetSessionToken", {{"DurationSeconds", "7200"}});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(ElementText(*r, "Expiration"), ExpirationAfter(std::chrono::hours(1)));
}

TEST(GetSessionToken, SessionCredentialsCannotCallIt) {
  StsFixture sts;
  auto first = sts.Call(UserPrincipal(), "GetSessionToken", {});
  auto session = sts.SessionOf(*first);
  auto again = sts.Call(*session, "GetSessionToken", {});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(again.error().message, "Cannot call GetSessionToken with session credentials");
  auto role = sts.SessionOf(*sts.AssumeRole(UserPrincipal()));
  EXPECT_FALSE(sts.Call(*role, "GetSessionToken", {}).has_value());
}

TEST(GetSessionToken, MfaCodesNeverVerify) {
  StsFixture sts;
  auto r = sts.Call(UserPrincipal(), "GetSessionToken",
                    {{"SerialNumber", "arn:aws:iam::123456789012:mfa/alice"}, {"TokenCode", "123456"}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kAccessDenied);
}

TEST(GetCallerIdentity, NamesUsersRootAndSessions) {
  StsFixture sts;
  auto user = sts.Call(UserPrincipal(), "GetCallerIdentity", {});
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(ElementText(*user, "Arn"), kUserArn);
  EXPECT_EQ(ElementText(*user, "UserId"), "AIDAALICEUSER0000001");
  EXPECT_EQ(ElementText(*user, "Account"), kAccount);
  auto root = sts.Call(RootPrincipal(), "GetCallerIdentity", {});
  EXPECT_EQ(ElementText(*root, "UserId"), kAccount);
  auto session = sts.SessionOf(*sts.AssumeRole(UserPrincipal()));
  auto me = sts.Call(*session, "GetCallerIdentity", {});
  EXPECT_EQ(ElementText(*me, "Arn"), "arn:aws:sts::123456789012:assumed-role/uploader/s3");
  EXPECT_EQ(ElementText(*me, "UserId"), std::string(kRoleId) + ":s3");
}

TEST(GetAccessKeyInfo, AnswersTheAccountForWellFormedKeys) {
  StsFixture sts;
  auto r = sts.Call(UserPrincipal(), "GetAccessKeyInfo", {{"AccessKeyId", "AKIAIOSFODNN7EXAMPLE"}});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(ElementText(*r, "Account"), kAccount);
  auto bad = sts.Call(UserPrincipal(), "GetAccessKeyInfo", {{"AccessKeyId", "short"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationError);
  auto missing = sts.Call(UserPrincipal(), "GetAccessKeyInfo", {});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message,
            "1 validation error detected: Value null at 'accessKeyId' failed to satisfy "
            "constraint: Member must not be null");
}

}  // namespace
}  // namespace kura::sts::testing
