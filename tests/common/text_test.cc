#include "common/text.h"

#include <gtest/gtest.h>

namespace kura {
namespace {

TEST(Text, AsciiLowerFoldsOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("X-Amz-Date"), "x-amz-date");
  EXPECT_EQ(AsciiLower("@[`{09"), "@[`{09");
  EXPECT_EQ(AsciiLower(std::string_view("\xC3\x89", 2)), std::string("\xC3\x89", 2));
  EXPECT_EQ(AsciiLower('Q'), 'q');
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(Text, EqualsIgnoreAsciiCaseNeedsSameLength) {
  EXPECT_TRUE(EqualsIgnoreAsciiCase("Content-MD5", "content-md5"));
  EXPECT_TRUE(EqualsIgnoreAsciiCase("", ""));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("host", "hos"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("a[", "A{"));
}

TEST(Text, StartsWithIgnoreAsciiCaseComparesThePrefixOnly) {
  EXPECT_TRUE(StartsWithIgnoreAsciiCase("X-Amz-Meta-Color", "x-amz-meta-"));
  EXPECT_TRUE(StartsWithIgnoreAsciiCase("x-amz-", "X-AMZ-"));
  EXPECT_TRUE(StartsWithIgnoreAsciiCase("anything", ""));
  EXPECT_FALSE(StartsWithIgnoreAsciiCase("x-am", "x-amz-"));
  EXPECT_FALSE(StartsWithIgnoreAsciiCase("content-type", "x-amz-"));
}

TEST(Text, TrimAsciiWhitespaceRemovesSpaceAndTabOnly) {
  EXPECT_EQ(TrimAsciiWhitespace(" \t a b \t "), "a b");
  EXPECT_EQ(TrimAsciiWhitespace(" \t "), "");
  EXPECT_EQ(TrimAsciiWhitespace(""), "");
  EXPECT_EQ(TrimAsciiWhitespace("\r\nvalue\r\n"), "\r\nvalue\r\n");
}

TEST(Text, TrimLineWhitespaceAlsoDropsTrailingCarriageReturns) {
  EXPECT_EQ(TrimLineWhitespace("  name = value \r"), "name = value");
  EXPECT_EQ(TrimLineWhitespace("value\r \t\r"), "value");
  EXPECT_EQ(TrimLineWhitespace("\r value"), "\r value");
  EXPECT_EQ(TrimLineWhitespace(" \r "), "");
}

}  // namespace
}  // namespace kura
