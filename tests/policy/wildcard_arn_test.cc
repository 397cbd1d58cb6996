#include <gtest/gtest.h>

#include "common/text.h"
#include "policy/arn.h"
#include "policy/wildcard.h"

namespace kura::policy {
namespace {

TEST(GlobPattern, StarMatchesAnyRunIncludingSlashesAndColons) {
  GlobPattern p("arn:aws:s3:::bucket/*");
  EXPECT_TRUE(p.Matches("arn:aws:s3:::bucket/"));
  EXPECT_TRUE(p.Matches("arn:aws:s3:::bucket/a/b:c"));
  EXPECT_FALSE(p.Matches("arn:aws:s3:::bucket"));
  EXPECT_FALSE(p.Matches("arn:aws:s3:::bucket2/x"));
}

TEST(GlobPattern, QuestionMarkMatchesExactlyOneCharacter) {
  GlobPattern p("s3:Get?bject");
  EXPECT_TRUE(p.Matches("s3:GetObject"));
  EXPECT_FALSE(p.Matches("s3:Getbject"));
  EXPECT_FALSE(p.Matches("s3:GetOObject"));
}

TEST(GlobPattern, MidPatternStarsBacktrack) {
  GlobPattern p("arn:aws:s3:::bucket/*/private/*");
  EXPECT_TRUE(p.Matches("arn:aws:s3:::bucket/alice/private/x"));
  EXPECT_TRUE(p.Matches("arn:aws:s3:::bucket/a/b/private/private/x"));
  EXPECT_FALSE(p.Matches("arn:aws:s3:::bucket/alice/public/x"));
  EXPECT_FALSE(p.Matches("arn:aws:s3:::bucket/private/x"));
}

TEST(GlobPattern, IsCaseSensitiveUnlessFolding) {
  GlobPattern p(AsciiLower("s3:Get*"));
  EXPECT_FALSE(p.Matches("s3:GetObject"));
  EXPECT_TRUE(p.Matches("S3:GETOBJECT", /*fold_case=*/true));
}

TEST(GlobPattern, HandlesPathologicalStarsQuickly) {
  GlobPattern p("*a*a*a*a*a*a*a*a*b");
  EXPECT_FALSE(p.Matches(std::string(5000, 'a')));
}

TEST(Arn, ParsesSixComponentsKeepingColonsInTheResource) {
  auto arn = ParseArn("arn:aws:sts::111122223333:assumed-role/R/s:x");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->service, "sts");
  EXPECT_EQ(arn->region, "");
  EXPECT_EQ(arn->account, "111122223333");
  EXPECT_EQ(arn->resource, "assumed-role/R/s:x");
  EXPECT_FALSE(ParseArn("arn:aws:s3"));
  EXPECT_FALSE(ParseArn("urn:aws:s3:::b"));
}

TEST(Arn, ArnLikeMatchesComponentByComponent) {
  EXPECT_TRUE(ArnLike("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/Reader"));
  EXPECT_FALSE(ArnLike("arn:aws:iam::*:role/*", "arn:aws:sts::111122223333:role/Reader"));
  // A star in the account component does not run into the resource.
  EXPECT_FALSE(ArnLike("arn:aws:iam::1*:user/x", "arn:aws:iam::111:role:user/x"));
  EXPECT_TRUE(ArnLike("*", "arn:aws:s3:::b"));
  EXPECT_FALSE(ArnLike("*", "not-an-arn"));
  EXPECT_FALSE(ArnLike("arn:aws:iam::1:user/Bob", "arn:aws:iam::1:user/bob"));
}

TEST(Arn, BuildsRootAndSessionArns) {
  EXPECT_EQ(AccountRootArn("111122223333"), "arn:aws:iam::111122223333:root");
  EXPECT_EQ(AssumedRoleSessionArn("1", "R", "s"), "arn:aws:sts::1:assumed-role/R/s");
}

TEST(Arn, WithAccountFillsOnlyTheEmptyAccountOfIamAndStsArns) {
  EXPECT_EQ(WithAccount("arn:aws:iam:::user/bob", "111122223333"),
            "arn:aws:iam::111122223333:user/bob");
  EXPECT_EQ(WithAccount("arn:aws:iam:::role/path/r", "111122223333"),
            "arn:aws:iam::111122223333:role/path/r");
  EXPECT_EQ(WithAccount("arn:aws:sts:::assumed-role/r/s", "111122223333"),
            "arn:aws:sts::111122223333:assumed-role/r/s");
  // S3 ARNs never name an account; an ARN that names one keeps it; no owner: unchanged.
  EXPECT_EQ(WithAccount("arn:aws:s3:::bucket/*", "111122223333"), "arn:aws:s3:::bucket/*");
  EXPECT_EQ(WithAccount("arn:aws:iam::444455556666:user/bob", "111122223333"),
            "arn:aws:iam::444455556666:user/bob");
  EXPECT_EQ(WithAccount("arn:aws:iam:::user/bob", ""), "arn:aws:iam:::user/bob");
  EXPECT_EQ(WithAccount("*", "111122223333"), "*");
}

// The org helper's Organizations API answers the same id (DescribeOrganization).
TEST(Arn, OrganizationIdIsDerivedFromTheManagementAccount) {
  std::string id = OrganizationId("111122223333");
  ASSERT_EQ(id.size(), 12u);
  EXPECT_TRUE(id.starts_with("o-"));
  EXPECT_EQ(id, OrganizationId("111122223333"));
  EXPECT_NE(id, OrganizationId("444455556666"));
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 2), std::string::npos);
}

}  // namespace
}  // namespace kura::policy
