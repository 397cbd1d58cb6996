#include "s3/copy_source.h"
#include "s3/version_id.h"

#include <gtest/gtest.h>

namespace kura::s3 {
namespace {

TEST(ParseCopySource, AcceptsBucketAndKeyWithOrWithoutALeadingSlash) {
  auto a = ParseCopySource("bucket/dir/key.txt");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->bucket, "bucket");
  EXPECT_EQ(a->key, "dir/key.txt");
  auto b = ParseCopySource("/bucket/key");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->bucket, "bucket");
  EXPECT_EQ(b->key, "key");
}

TEST(ParseCopySource, PercentDecodesTheKeyOnce) {
  auto name = ParseCopySource("b/a%20b%2Bc%25%C3%BC");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->key, "a b+c%\xC3\xBC");
}

TEST(ParseCopySource, TakesAVersionIdKuraCouldHaveIssued) {
  EXPECT_EQ(ParseCopySource("b/k")->version_id, std::nullopt);
  EXPECT_EQ(ParseCopySource("b/k?versionId=null")->version_id, "null");
  std::string id = "Ab9._" + std::string(kVersionIdLength - 5, 'z');
  EXPECT_EQ(ParseCopySource("/b/k?versionId=" + id)->version_id, id);
  EXPECT_EQ(ParseCopySource("b/k?versionId=abc").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseCopySource("b/k?versionId=" + id + "x").error().code, ErrorCode::kInvalidArgument);
}

TEST(VersionIds, AreWellFormedOnlyAsKuraMintsThem) {
  FakeRandom random(7);
  std::string id = NewVersionId(random);
  EXPECT_TRUE(IsWellFormedVersionId(id));
  EXPECT_NE(NewVersionId(random), id);
  EXPECT_TRUE(IsWellFormedVersionId("null"));
  EXPECT_FALSE(IsWellFormedVersionId(""));
  EXPECT_FALSE(IsWellFormedVersionId(std::string(kVersionIdLength - 1, 'a')));
  EXPECT_FALSE(IsWellFormedVersionId(std::string(kVersionIdLength - 1, 'a') + "/"));
}

TEST(ParseCopySource, RejectsAMissingBucketOrKey) {
  for (const char* bad : {"", "bucket", "bucket/", "/key", "b/k?other=1"}) {
    EXPECT_EQ(ParseCopySource(bad).error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace kura::s3
