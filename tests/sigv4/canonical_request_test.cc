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
  // Runs are scanned eight bytes at a time: whitespace of each kind at every offset of a long
  // value, against the rule applied a byte at a time.
  auto by_bytes = [](const std::string& v) {
    std::string out;
    bool pending_space = false;
    for (char c : v) {
      bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
      if (space) { pending_space = !out.empty(); continue; }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c);
    }
    return out;
  };
  for (char space : {' ', '\t', '\r', '\n'}) {
    for (size_t at = 0; at < 40; ++at) {
      std::string value(40, 'T');
      value[at] = space;
      value[(at * 7) % 40] = space;
      value[5] = '\x01';  // a control byte is not whitespace: it stays
      EXPECT_EQ(CanonicalHeaderValue(value), by_bytes(value)) << at;
    }
  }
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
  auto a = cache.Get("AKID", secret, "20240101", "us-east-1", "s3");
  EXPECT_EQ(a->secret().Reveal(), DeriveSigningKey(secret, "20240101", "us-east-1", "s3").Reveal());
  EXPECT_EQ(cache.Get("AKID", secret, "20240101", "us-east-1", "s3"), a);  // the cached entry
  EXPECT_NE(cache.Get("AKID", secret, "20240102", "us-east-1", "s3")->secret().Reveal(),
            a->secret().Reveal());
  EXPECT_EQ(cache.Get("AKID2", secret, "20240101", "us-east-1", "s3")->secret().Reveal(),
            a->secret().Reveal());
}

TEST(SigningKey, CacheNeverReturnsAKeyDerivedFromAnotherSecret) {
  SigningKeyCache cache;
  auto old_key = cache.Get("AKID", Secret("old"), "20240101", "us-east-1", "s3");
  // The same access key id with a rotated secret: derived afresh, and the new one is kept.
  auto rotated = cache.Get("AKID", Secret("new"), "20240101", "us-east-1", "s3");
  EXPECT_EQ(rotated->secret().Reveal(),
            DeriveSigningKey(Secret("new"), "20240101", "us-east-1", "s3").Reveal());
  EXPECT_NE(rotated->secret().Reveal(), old_key->secret().Reveal());
  EXPECT_EQ(cache.Get("AKID", Secret("new"), "20240101", "us-east-1", "s3"), rotated);
  // A secret sharing a prefix with the cached one is still another secret.
  EXPECT_NE(cache.Get("AKID", Secret("ne"), "20240101", "us-east-1", "s3")->secret().Reveal(),
            rotated->secret().Reveal());
}

TEST(SigningKey, PreparedKeySignsAsTheOneShotSignature) {
  Secret raw = DeriveSigningKey(Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "20150830",
                                "us-east-1", "iam");
  SigningKey key(raw);
  EXPECT_EQ(key.SignatureHex("AWS4-HMAC-SHA256\n20150830T123600Z\n..."),
            SignatureHex(raw, "AWS4-HMAC-SHA256\n20150830T123600Z\n..."));
}

}  // namespace
}  // namespace kura::sigv4
