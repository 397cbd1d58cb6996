#include "common/encoding.h"

#include <gtest/gtest.h>

namespace kura {
namespace {

TEST(Encoding, HexRoundTrips) {
  EXPECT_EQ(HexLower(std::string_view("\x01\xab\xff", 3)), "01abff");
  EXPECT_EQ(HexDecode("01ABff"), std::string("\x01\xab\xff", 3));
  EXPECT_FALSE(HexDecode("0"));
  EXPECT_FALSE(HexDecode("zz"));
}

TEST(Encoding, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(std::string_view("")), "");
  EXPECT_EQ(Base64Encode(std::string_view("f")), "Zg==");
  EXPECT_EQ(Base64Encode(std::string_view("fo")), "Zm8=");
  EXPECT_EQ(Base64Encode(std::string_view("foobar")), "Zm9vYmFy");
  EXPECT_EQ(Base64Decode("Zm9vYg=="), "foob");
  EXPECT_FALSE(Base64Decode("Zm9vYg="));
  EXPECT_FALSE(Base64Decode("Zm9v!mFy"));
  EXPECT_FALSE(Base64Decode("Zh=="));  // non-zero padding bits are not canonical
}

TEST(Encoding, Base64UrlRoundTripsWithoutPadding) {
  std::string bytes("\xfb\xff\xfe", 3);
  EXPECT_EQ(Base64UrlEncode(bytes), "-__-");
  EXPECT_EQ(Base64UrlDecode("-__-"), bytes);
  EXPECT_FALSE(Base64UrlDecode("a"));
}

TEST(Encoding, UriEncodeKeepsUnreservedAndOptionallySlash) {
  EXPECT_EQ(UriEncode("a b/c~d*e+f"), "a%20b%2Fc~d%2Ae%2Bf");
  EXPECT_EQ(UriEncode("a b/c", false), "a%20b/c");
  EXPECT_EQ(UriEncode("\xc3\xa9"), "%C3%A9");
}

TEST(Encoding, PercentDecodeRejectsBadEscapes) {
  EXPECT_EQ(PercentDecode("a%20b+c"), "a b+c");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_FALSE(PercentDecode("%2"));
  EXPECT_FALSE(PercentDecode("%"));
  EXPECT_FALSE(PercentDecode("%zz"));
}

TEST(Encoding, ConstantTimeEqualsComparesLengthAndBytes) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(Encoding, ConstantTimeEqualsFindsADifferenceAtEveryOffset) {
  // Eight bytes per step, then a tail: a difference in any word or in the tail counts.
  for (size_t size : {1u, 7u, 8u, 9u, 64u, 1027u}) {
    std::string a(size, 'x');
    EXPECT_TRUE(ConstantTimeEquals(a, std::string(size, 'x'))) << size;
    for (size_t at = 0; at < size; ++at) {
      std::string b = a;
      b[at] ^= 0x01;
      EXPECT_FALSE(ConstantTimeEquals(a, b)) << size << " at " << at;
    }
  }
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(Encoding, Utf8ValidationRejectsOverlongsAndSurrogates) {
  EXPECT_TRUE(IsValidUtf8("plain \xc3\xa9 \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
}

}  // namespace
}  // namespace kura
