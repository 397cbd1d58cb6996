// AssumeRoleWithWebIdentity through StsService, with a MemoryRoleDirectory, a fake clock and a
// fake fetcher serving a provider whose keys are generated per test.
#include <gtest/gtest.h>

#include "oidc/key_source.h"
#include "policy/context_keys.h"
#include "tests/oidc/fake_fetcher.h"
#include "tests/oidc/test_signer.h"
#include "tests/sts/sts_fixture.h"

namespace kura::sts {
namespace {

using namespace std::chrono_literals;
using oidc::testing::FakeFetcher;
using oidc::testing::TestKey;
using testing::ElementText;
using testing::kRoleArn;

constexpr char kIssuer[] = "https://idp.example.com/t1";
constexpr char kProviderKey[] = "idp.example.com/t1";
constexpr char kProviderArn[] = "arn:aws:iam::123456789012:oidc-provider/idp.example.com/t1";

std::string WebTrust(const std::string& condition = "",
                     const std::string& actions = R"("sts:AssumeRoleWithWebIdentity")") {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":")" +
         std::string(kProviderArn) + R"("},"Action":[)" + actions + "]" +
         (condition.empty() ? "" : R"(,"Condition":)" + condition) + "}]}";
}

struct WebIdentityTest : ::testing::Test {
  WebIdentityTest() : key(TestKey::Rsa("k1")), keys(fetcher, sts.clock, {}) {
    fetcher.Serve(kIssuer, oidc::testing::JwksOf({&key}));
    sts.roles.PutOidcProvider({kProviderArn, kIssuer, kProviderKey, {"app"}});
    sts.PutRole(WebTrust(R"({"StringEquals":{"idp.example.com/t1:aud":"app"}})"));
    sts.EnableWebIdentity(WebIdentity{&keys, nullptr});
  }

  boost::json::object Claims() const {
    int64_t now = UnixSeconds(sts.clock.Now());
    return {{"iss", kIssuer}, {"sub", "user-42"}, {"aud", "app"},
            {"iat", now},     {"exp", now + 600}, {"amr", boost::json::array{"pwd", "mfa"}}};
  }

  Result<std::string> Assume(const std::string& token,
                             std::map<std::string, std::string> params = {}) {
    params.emplace("RoleArn", kRoleArn);
    params.emplace("RoleSessionName", "web");
    params.emplace("WebIdentityToken", token);
    return sts.Call(Principal{}, "AssumeRoleWithWebIdentity", std::move(params));
  }

  std::optional<ErrorCode> CodeOf(const Result<std::string>& r) {
    if (r) return std::nullopt;
    return r.error().code;
  }

  testing::StsFixture sts;
  FakeFetcher fetcher;
  TestKey key;
  oidc::CachingKeySource keys;
};

TEST_F(WebIdentityTest, AGoodTokenGetsRoleCredentials) {
  auto r = Assume(key.Sign("RS256", Claims()));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(ElementText(*r, "SubjectFromWebIdentityToken"), "user-42");
  EXPECT_EQ(ElementText(*r, "Audience"), "app");
  EXPECT_EQ(ElementText(*r, "Provider"), kIssuer);
  EXPECT_EQ(ElementText(*r, "Arn"), "arn:aws:sts::123456789012:assumed-role/uploader/web");
  EXPECT_TRUE(ElementText(*r, "AccessKeyId").starts_with("ASIA"));
}

TEST_F(WebIdentityTest, TheSessionCarriesTheProvidersConditionKeys) {
  auto r = Assume(key.Sign("RS256", Claims()));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  auto principal = sts.SessionOf(*r);
  ASSERT_NE(principal, nullptr);
  EXPECT_EQ(principal->session->federated_provider, kProviderArn);
  policy::RequestContext c = policy::BuildRequestContext(*principal, {});
  ASSERT_NE(c.Get("idp.example.com/t1:sub"), nullptr);
  EXPECT_EQ(c.Get("idp.example.com/t1:sub")->at(0), "user-42");
  EXPECT_EQ(*c.Get("idp.example.com/t1:amr"), (std::vector<std::string>{"pwd", "mfa"}));
  EXPECT_EQ(c.Get("idp.example.com/t1:aud")->at(0), "app");
  EXPECT_EQ(c.Get("aws:FederatedProvider")->at(0), kProviderArn);
}

TEST_F(WebIdentityTest, ForgedExpiredWrongAudienceAndUnsignedTokensGetNoCredentials) {
  TestKey attacker = TestKey::Rsa("k1");
  EXPECT_EQ(CodeOf(Assume(attacker.Sign("RS256", Claims()))), ErrorCode::kInvalidIdentityToken);
  auto claims = Claims();
  claims["exp"] = UnixSeconds(sts.clock.Now()) - 3600;
  EXPECT_EQ(CodeOf(Assume(key.Sign("RS256", claims))), ErrorCode::kExpiredTokenException);
  claims = Claims();
  claims["aud"] = "not-a-client";
  EXPECT_EQ(CodeOf(Assume(key.Sign("RS256", claims))), ErrorCode::kInvalidIdentityToken);
  EXPECT_EQ(CodeOf(Assume(oidc::testing::UnsignedToken("none", Claims(), "k1"))),
            ErrorCode::kInvalidIdentityToken);
  EXPECT_EQ(CodeOf(Assume("not.a.jwt")), ErrorCode::kInvalidIdentityToken);
}

TEST_F(WebIdentityTest, ATokenFromAnUnregisteredIssuerIsInvalid) {
  auto claims = Claims();
  claims["iss"] = "https://elsewhere.example.com";
  auto r = Assume(key.Sign("RS256", claims));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidIdentityToken);
  EXPECT_NE(r.error().message.find("No OpenIDConnect provider"), std::string::npos);
}

TEST_F(WebIdentityTest, AnUnreachableProviderIsIdpCommunicationError) {
  fetcher.down = true;
  EXPECT_EQ(CodeOf(Assume(key.Sign("RS256", Claims()))), ErrorCode::kIDPCommunicationError);
}

TEST_F(WebIdentityTest, TheTrustPolicyConditionsOnTheTokensClaims) {
  sts.PutRole(WebTrust(R"({"StringEquals":{"idp.example.com/t1:sub":"user-7"}})"));
  auto r = Assume(key.Sign("RS256", Claims()));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kAccessDenied);
  auto claims = Claims();
  claims["sub"] = "user-7";
  EXPECT_TRUE(Assume(key.Sign("RS256", claims)).has_value());
  sts.PutRole(WebTrust(R"({"ForAnyValue:StringEquals":{"idp.example.com/t1:amr":"mfa"}})"));
  EXPECT_TRUE(Assume(key.Sign("RS256", Claims())).has_value());
}

TEST_F(WebIdentityTest, ATrustPolicyForAnotherProviderOrActionDenies) {
  sts.PutRole(testing::TrustJson(testing::kUserArn));
  EXPECT_EQ(CodeOf(Assume(key.Sign("RS256", Claims()))), ErrorCode::kAccessDenied);
  sts.PutRole(WebTrust("", R"("sts:AssumeRole")"));
  EXPECT_EQ(CodeOf(Assume(key.Sign("RS256", Claims()))), ErrorCode::kAccessDenied);
  EXPECT_EQ(CodeOf(Assume(key.Sign("RS256", Claims()),
                          {{"RoleArn", "arn:aws:iam::123456789012:role/nope"}})),
            ErrorCode::kAccessDenied);
}

TEST_F(WebIdentityTest, SessionTagsComeFromTheAwsTagsClaimAndNeedTagSession) {
  auto claims = Claims();
  claims["https://aws.amazon.com/tags"] = boost::json::object{
      {"principal_tags", boost::json::object{{"team", boost::json::array{"blue"}}}},
      {"transitive_tag_keys", boost::json::array{"team"}}};
  std::string token = key.Sign("RS256", claims);
  EXPECT_EQ(CodeOf(Assume(token)), ErrorCode::kAccessDenied);
  sts.PutRole(WebTrust("", R"("sts:AssumeRoleWithWebIdentity","sts:TagSession")"));
  auto r = Assume(token);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  auto principal = sts.SessionOf(*r);
  ASSERT_NE(principal, nullptr);
  EXPECT_EQ(principal->session->tags,
            (std::vector<std::pair<std::string, std::string>>{{"team", "blue"}}));
  EXPECT_EQ(principal->session->transitive_tag_keys, std::vector<std::string>{"team"});
}

TEST_F(WebIdentityTest, AMalformedTagsClaimIsIdpRejectedClaim) {
  auto claims = Claims();
  claims["https://aws.amazon.com/tags"] = "team=blue";
  EXPECT_EQ(CodeOf(Assume(key.Sign("RS256", claims))), ErrorCode::kIDPRejectedClaim);
  claims["https://aws.amazon.com/tags"] = boost::json::object{
      {"principal_tags", boost::json::object{{"team", boost::json::array{"a", "b"}}}}};
  EXPECT_EQ(CodeOf(Assume(key.Sign("RS256", claims))), ErrorCode::kIDPRejectedClaim);
}

TEST_F(WebIdentityTest, ValidatesParametersAndDuration) {
  std::string token = key.Sign("RS256", Claims());
  auto r = Assume(token, {{"RoleSessionName", "x"}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kValidationError);
  EXPECT_EQ(r.error().message.find(token), std::string::npos);
  EXPECT_EQ(CodeOf(Assume(token, {{"DurationSeconds", "7200"}})), ErrorCode::kValidationError);
  auto ok = Assume(token, {{"DurationSeconds", "900"}});
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(CodeOf(Assume(token, {{"Policy", "{not json"}})), ErrorCode::kMalformedPolicyDocument);
}

TEST_F(WebIdentityTest, IsRefusedWhenNotEnabled) {
  testing::StsFixture plain;
  plain.roles.PutOidcProvider({kProviderArn, kIssuer, kProviderKey, {"app"}});
  query::QueryCall call;
  call.action = "AssumeRoleWithWebIdentity";
  call.params = {{"RoleArn", kRoleArn},
                 {"RoleSessionName", "web"},
                 {"WebIdentityToken", key.Sign("RS256", Claims())}};
  call.principal = std::make_shared<Principal>();
  auto r = plain.service->HandleNow(call);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidIdentityToken);
}

}  // namespace
}  // namespace kura::sts
