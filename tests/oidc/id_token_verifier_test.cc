#include "oidc/id_token_verifier.h"

#include <gtest/gtest.h>

#include "tests/oidc/fake_fetcher.h"
#include "tests/oidc/test_signer.h"

namespace kura::oidc {
namespace {

using namespace std::chrono_literals;
using testing::FakeFetcher;
using testing::TestKey;

constexpr char kIssuer[] = "https://idp.example.com";
constexpr int64_t kNow = 1700000000;

struct VerifierTest : ::testing::Test {
  VerifierTest()
      : clock(FromUnixSeconds(kNow)),
        rsa(TestKey::Rsa("rsa1")),
        ec(TestKey::Ec("ec1")),
        source(fetcher, clock, {}) {
    fetcher.Serve(kIssuer, testing::JwksOf({&rsa, &ec}));
  }

  boost::json::object Claims() const {
    return {{"iss", kIssuer},
            {"sub", "user-1"},
            {"aud", "app"},
            {"iat", kNow - 10},
            {"exp", kNow + 300}};
  }

  Result<std::string> Verify(const std::string& token) {
    auto jwt = ParseJwt(token);
    if (!jwt) return jwt.error();
    return VerifyIdToken(*jwt, {kIssuer, client_ids}, source, clock.Now());
  }

  std::optional<ErrorCode> CodeOf(const std::string& token) {
    auto r = Verify(token);
    if (r) return std::nullopt;
    return r.error().code;
  }

  FakeFetcher fetcher;
  FakeClock clock;
  TestKey rsa;
  TestKey ec;
  CachingKeySource source;
  std::vector<std::string> client_ids = {"other", "app"};
};

TEST_F(VerifierTest, AcceptsGoodRs256AndEs256Tokens) {
  auto audience = Verify(rsa.Sign("RS256", Claims()));
  ASSERT_TRUE(audience.has_value()) << audience.error().message;
  EXPECT_EQ(*audience, "app");
  EXPECT_TRUE(Verify(ec.Sign("ES256", Claims())).has_value());
}

TEST_F(VerifierTest, AcceptsATokenWithoutKidWhenAKeyVerifiesIt) {
  EXPECT_TRUE(Verify(ec.Sign("ES256", Claims(), /*with_kid=*/false)).has_value());
}

TEST_F(VerifierTest, RejectsAlgNoneAndHmac) {
  EXPECT_EQ(CodeOf(testing::UnsignedToken("none", Claims(), "rsa1")),
            ErrorCode::kInvalidIdentityToken);
  EXPECT_EQ(CodeOf(testing::UnsignedToken("HS256", Claims(), "rsa1")),
            ErrorCode::kInvalidIdentityToken);
}

TEST_F(VerifierTest, RejectsAForgedSignature) {
  TestKey attacker = TestKey::Rsa("rsa1");
  EXPECT_EQ(CodeOf(attacker.Sign("RS256", Claims())), ErrorCode::kInvalidIdentityToken);
}

TEST_F(VerifierTest, RejectsAWrongAudience) {
  auto claims = Claims();
  claims["aud"] = "someone-else";
  auto r = Verify(rsa.Sign("RS256", claims));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidIdentityToken);
  EXPECT_EQ(r.error().message, "Incorrect token audience");
}

TEST_F(VerifierTest, UsesAzpWhenThereAreSeveralAudiences) {
  auto claims = Claims();
  claims["aud"] = boost::json::array{"x", "app"};
  claims["azp"] = "app";
  EXPECT_EQ(Verify(rsa.Sign("RS256", claims)).value(), "app");
}

TEST_F(VerifierTest, ExpiredTokensGetExpiredTokenExceptionAfterTheSkew) {
  auto claims = Claims();
  claims["exp"] = kNow - 30;  // within the skew
  EXPECT_EQ(CodeOf(rsa.Sign("RS256", claims)), std::nullopt);
  claims["exp"] = kNow - 61;
  EXPECT_EQ(CodeOf(rsa.Sign("RS256", claims)), ErrorCode::kExpiredTokenException);
  claims.erase("exp");
  EXPECT_EQ(CodeOf(rsa.Sign("RS256", claims)), ErrorCode::kInvalidIdentityToken);
}

TEST_F(VerifierTest, RejectsTokensNotYetValidOrIssuedInTheFuture) {
  auto claims = Claims();
  claims["nbf"] = kNow + 120;
  EXPECT_EQ(CodeOf(rsa.Sign("RS256", claims)), ErrorCode::kInvalidIdentityToken);
  claims = Claims();
  claims["iat"] = kNow + 120;
  EXPECT_EQ(CodeOf(rsa.Sign("RS256", claims)), ErrorCode::kInvalidIdentityToken);
}

TEST_F(VerifierTest, RequiresASubject) {
  auto claims = Claims();
  claims.erase("sub");
  EXPECT_EQ(CodeOf(rsa.Sign("RS256", claims)), ErrorCode::kInvalidIdentityToken);
}

TEST_F(VerifierTest, RefetchesTheJwksOnceForAnUnknownKid) {
  ASSERT_TRUE(Verify(rsa.Sign("RS256", Claims())).has_value());
  clock.Advance(30s);
  TestKey rotated = TestKey::Rsa("rsa2");
  fetcher.Serve(kIssuer, testing::JwksOf({&rotated}));
  EXPECT_TRUE(Verify(rotated.Sign("RS256", Claims())).has_value());
  EXPECT_EQ(source.fetch_count(), 2);
  TestKey unknown = TestKey::Rsa("rsa3");
  EXPECT_EQ(CodeOf(unknown.Sign("RS256", Claims())), ErrorCode::kInvalidIdentityToken);
}

TEST_F(VerifierTest, AnUnreachableProviderIsIdpCommunicationError) {
  fetcher.down = true;
  EXPECT_EQ(CodeOf(rsa.Sign("RS256", Claims())), ErrorCode::kIDPCommunicationError);
}

TEST(ProviderKeyOf, DropsTheSchemeAndTrailingSlash) {
  EXPECT_EQ(ProviderKeyOf("https://idp.example.com/t/"), "idp.example.com/t");
  EXPECT_EQ(ProviderKeyOf("http://127.0.0.1:8080"), "127.0.0.1:8080");
  EXPECT_EQ(ProviderKeyOf("accounts.google.com"), "accounts.google.com");
}

}  // namespace
}  // namespace kura::oidc
