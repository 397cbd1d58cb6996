// The checked-in tokens under fuzz/corpus/sts_token/ were sealed with the fixture key:
// v1-sealed-* in format 1 (written before version 2 existed), sealed-* in format 2 by
// fuzz/sts_token_corpus_gen. A later kura must still open both (or bump the version on purpose).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "common/encoding.h"
#include "sts/session_token.h"
#include "tests/sts/test_claims.h"

namespace kura::sts {
namespace {

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(KURA_STS_TOKEN_CORPUS) + "/" + name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class FixtureTokensTest : public ::testing::Test {
 protected:
  FakeRandom random_{1};
  std::unique_ptr<TokenKeyRing> ring_ = testing::FixtureRing(random_);
  std::unique_ptr<TokenCodec> codec_ = std::move(TokenCodec::Create(*ring_, random_)).value();
};

TEST_F(FixtureTokensTest, FormatOneTokensStillOpen) {
  auto full = codec_->Open(ReadFixture("v1-sealed-full"));
  ASSERT_TRUE(full.has_value());
  SessionClaims expected = testing::FullClaims();
  EXPECT_EQ(full->kind, expected.kind);
  EXPECT_EQ(full->secret_access_key.Reveal(), expected.secret_access_key.Reveal());
  EXPECT_EQ(full->session_policy, expected.session_policy);
  EXPECT_EQ(full->tags, expected.tags);
  EXPECT_EQ(full->web_identity_audience, expected.web_identity_audience);

  EXPECT_TRUE(full->web_identity_context.empty());

  auto user = codec_->Open(ReadFixture("v1-sealed-user-session"));
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->kind, SessionKind::kUserSession);
  EXPECT_EQ(user->caller_user_name, "alice");
  EXPECT_TRUE(user->mfa_authenticated);

  auto root = codec_->Open(ReadFixture("v1-sealed-root-session"));
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->caller_arn, "arn:aws:iam::123456789012:root");
}

TEST_F(FixtureTokensTest, FormatTwoTokensOpenWithTheirWebIdentityContext) {
  for (const char* name : {"sealed-assumed-role", "sealed-full", "sealed-user-session",
                           "sealed-root-session", "sealed-web-identity"}) {
    auto opened = codec_->Open(ReadFixture(name));
    ASSERT_TRUE(opened.has_value()) << name;
    EXPECT_EQ(static_cast<uint8_t>(Base64Decode(ReadFixture(name)).value()[0]), 2) << name;
  }
  auto web = codec_->Open(ReadFixture("sealed-web-identity"));
  ASSERT_TRUE(web.has_value());
  SessionClaims expected = testing::FullClaims();
  EXPECT_EQ(web->kind, SessionKind::kWebIdentity);
  EXPECT_EQ(web->secret_access_key.Reveal(), expected.secret_access_key.Reveal());
  EXPECT_EQ(web->tags, expected.tags);
  ASSERT_EQ(web->web_identity_context.size(), 4u);
  EXPECT_EQ(web->web_identity_context[2].first, "idp.example.com:amr");
  EXPECT_EQ(web->web_identity_context[2].second,
            (std::vector<std::string>{"authenticated", "mfa"}));
  EXPECT_TRUE(web->web_identity_context[3].second.empty());
}

TEST_F(FixtureTokensTest, DamagedFixturesAreInvalid) {
  for (const char* name :
       {"tampered-ciphertext", "version-relabelled-1", "version-3", "unknown-key-id", "truncated",
        "url-encoded", "v1-tampered-ciphertext", "v1-version-2", "v1-unknown-key-id",
        "v1-truncated", "v1-url-encoded", "not-base64", "empty-input"}) {
    auto opened = codec_->Open(ReadFixture(name));
    ASSERT_FALSE(opened.has_value()) << name;
    EXPECT_EQ(opened.error().code, ErrorCode::kInvalidToken) << name;
  }
}

}  // namespace
}  // namespace kura::sts
