#include "sigv4/canonical_request.h"

#include <gtest/gtest.h>

#include "common/encoding.h"
#include "sigv4/signing_key.h"

namespace kura::sigv4 {
namespace {

TEST(CanonicalRequest, S3PathIsEncodedOnceAndNotNormalized) {
  PathOptions s3 = PathOptionsFor("s3");
  EXPECT_EQ(*CanonicalUri("/bucket/a%20b/./c//d", s3), "/bucket/a%20b/./c//d");
  EXPECT_EQ(*CanonicalUri("/bucket/a+b~c%2Fd", s3), "/bucket/a%2Bb~c/d");
  EXPECT_EQ(*CanonicalUri("", s3), "/");
  EXPECT_FALSE(CanonicalUri("/bad%zz", s3).has_value());
}

TEST(CanonicalRequest, OtherServicesNormalizeAndDoubleEncode) {
  PathOptions other = PathOptionsFor("iam");
  EXPECT_EQ(*CanonicalUri("/a%20b", other), "/a%2520b");
  EXPECT_EQ(*CanonicalUri("//a/./b/../c//", other), "/a/c/");
  EXPECT_EQ(*CanonicalUri("/a/..", other), "/");
}

TEST(CanonicalRequest, SortsQueryParametersByEncodedKeyThenValue) {
  auto params = ParseQuery("b=2&a=2&a=1&Param-3=x&Param=y&%E1%88%B4=z&flag&empty=");
  ASSERT_TRUE(params.has_value());
  EXPECT_EQ(CanonicalQueryString(*params, false),
            "%E1%88%B4=z&Param=y&Param-3=x&a=1&a=2&b=2&empty=&flag=");
}

TEST(CanonicalRequest, ReencodesDecodedQueryValuesAndSkipsSignatureWhenPresigned) {
  auto params = ParseQuery("prefix=a%20b%2Fc+d&X-Amz-Signature=abc&k=%7e");
  ASSERT_TRUE(params.has_value());
  EXPECT_EQ(CanonicalQueryString(*params, true), "k=~&prefix=a%20b%2Fc%2Bd");
  EXPECT_EQ(CanonicalQueryString(*params, false), "X-Amz-Signature=abc&k=~&prefix=a%20b%2Fc%2Bd");
  EXPECT_FALSE(ParseQuery("a=%G1").has_value());
}

TEST(CanonicalRequest, TrimsHeaderValuesAndJoinsRepeatsWithCommas) {
  EXPECT_EQ(CanonicalHeaderValue("  a   b \t c  "), "a b c");
  HeaderField fields[] = {{"My-Header", " v2 "}, {"Host", "h"}, {"my-header", "v1"}};
  std::string_view names[] = {"host", "my-header", "absent"};
  EXPECT_EQ(CanonicalHeaders(fields, names), "host:h\nmy-header:v2,v1\nabsent:\n");
}

TEST(CanonicalRequest, SplitsSignedHeadersAndRejectsEmptyNames) {
  EXPECT_EQ(SplitSignedHeaders("host;x-amz-date").size(), 2u);
  EXPECT_TRUE(SplitSignedHeaders("").empty());
  EXPECT_TRUE(SplitSignedHeaders("host;;x").empty());
}

TEST(SigningKey, MatchesAwsDocumentedDerivation) {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
  // example: secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830/us-east-1/iam.
  Secret key = DeriveSigningKey(Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "20150830",
                                "us-east-1", "iam");
  EXPECT_EQ(HexLower(key.Reveal()),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST(SigningKey, CacheReturnsTheDerivedKeyPerScopeAndSecret) {
  SigningKeyCache cache;
  Secret secret("s1");
  Secret a = cache.Get(secret, "20240101", "us-east-1", "s3");
  EXPECT_EQ(a.Reveal(), DeriveSigningKey(secret, "20240101", "us-east-1", "s3").Reveal());
  EXPECT_EQ(cache.Get(secret, "20240101", "us-east-1", "s3").Reveal(), a.Reveal());
  EXPECT_NE(cache.Get(Secret("s2"), "20240101", "us-east-1", "s3").Reveal(), a.Reveal());
  EXPECT_NE(cache.Get(secret, "20240102", "us-east-1", "s3").Reveal(), a.Reveal());
}

}  // namespace
}  // namespace kura::sigv4
