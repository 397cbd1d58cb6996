#include "oidc/jwt.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace kura::oidc {
namespace {

std::string Part(const std::string& json) { return Base64UrlEncode(json); }

std::string Token(const std::string& header, const std::string& payload,
                  const std::string& sig = "c2ln") {
  return Part(header) + "." + Part(payload) + "." + sig;
}

TEST(ParseJwt, ReadsHeaderAndRegisteredClaims) {
  auto jwt = ParseJwt(Token(R"({"alg":"RS256","kid":"k1"})",
                            R"({"iss":"https://idp","sub":"u1","aud":"app","exp":100,"nbf":10,)"
                            R"("iat":20.5,"azp":"app"})"));
  ASSERT_TRUE(jwt.has_value()) << jwt.error().message;
  EXPECT_EQ(jwt->alg, "RS256");
  EXPECT_EQ(jwt->kid, "k1");
  EXPECT_EQ(jwt->iss, "https://idp");
  EXPECT_EQ(jwt->sub, "u1");
  EXPECT_EQ(jwt->aud, std::vector<std::string>{"app"});
  EXPECT_EQ(*jwt->exp, 100);
  EXPECT_EQ(*jwt->nbf, 10);
  EXPECT_EQ(*jwt->iat, 20);
  EXPECT_EQ(jwt->signature, "sig");
  EXPECT_EQ(jwt->signing_input.find('.'), jwt->signing_input.rfind('.'));
}

TEST(ParseJwt, AcceptsAnAudienceArray) {
  auto jwt = ParseJwt(Token(R"({"alg":"ES256"})", R"({"aud":["a","b"]})"));
  ASSERT_TRUE(jwt.has_value());
  EXPECT_EQ(jwt->aud, (std::vector<std::string>{"a", "b"}));
}

TEST(ParseJwt, RejectsMalformedTokensAsInvalidIdentityToken) {
  const std::string good_header = R"({"alg":"RS256"})";
  for (const std::string& token :
       {std::string(""), std::string("a.b"), std::string("a.b.c.d"),
        std::string("a.b.c.d.e"),  // JWE
        Part(good_header) + ".%%%." + "c2ln", Token("[1]", "{}"), Token(good_header, "not json"),
        Token("{}", "{}"),  // no alg
        Token(R"({"alg":"RS256","crit":["x"]})", "{}"), Token(good_header, R"({"exp":"tomorrow"})"),
        Token(good_header, R"({"aud":[1]})"), Token(good_header, R"({"sub":5})"),
        Token(good_header, "{}", "***"),
        Token(good_header, R"({"x":")" + std::string(kMaxJwtChars, 'a') + R"("})")}) {
    auto jwt = ParseJwt(token);
    ASSERT_FALSE(jwt.has_value()) << token.substr(0, 80);
    EXPECT_EQ(jwt.error().code, ErrorCode::kInvalidIdentityToken);
  }
}

TEST(ClaimStrings, ReadsStringsArraysAndScalars) {
  auto jwt = ParseJwt(
      Token(R"({"alg":"RS256"})", R"({"amr":["pwd","mfa"],"email":"a@b","n":3,"t":true,"o":{}})"));
  ASSERT_TRUE(jwt.has_value());
  EXPECT_EQ(ClaimStrings(jwt->claims, "amr"), (std::vector<std::string>{"pwd", "mfa"}));
  EXPECT_EQ(ClaimStrings(jwt->claims, "email"), std::vector<std::string>{"a@b"});
  EXPECT_EQ(ClaimStrings(jwt->claims, "n"), std::vector<std::string>{"3"});
  EXPECT_EQ(ClaimStrings(jwt->claims, "t"), std::vector<std::string>{"true"});
  EXPECT_TRUE(ClaimStrings(jwt->claims, "o").empty());
  EXPECT_TRUE(ClaimStrings(jwt->claims, "absent").empty());
}

}  // namespace
}  // namespace kura::oidc
