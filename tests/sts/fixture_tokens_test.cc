// The checked-in tokens under fuzz/corpus/sts_token/sealed-* were sealed in format 1 with the
// fixture key: a later kura must still open them (or bump the version on purpose).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

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
  auto full = codec_->Open(ReadFixture("sealed-full"));
  ASSERT_TRUE(full.has_value());
  SessionClaims expected = testing::FullClaims();
  EXPECT_EQ(full->kind, expected.kind);
  EXPECT_EQ(full->secret_access_key.Reveal(), expected.secret_access_key.Reveal());
  EXPECT_EQ(full->session_policy, expected.session_policy);
  EXPECT_EQ(full->tags, expected.tags);
  EXPECT_EQ(full->web_identity_audience, expected.web_identity_audience);

  auto user = codec_->Open(ReadFixture("sealed-user-session"));
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->kind, SessionKind::kUserSession);
  EXPECT_EQ(user->caller_user_name, "alice");
  EXPECT_TRUE(user->mfa_authenticated);

  auto root = codec_->Open(ReadFixture("sealed-root-session"));
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->caller_arn, "arn:aws:iam::123456789012:root");
}

TEST_F(FixtureTokensTest, DamagedFixturesAreInvalid) {
  for (const char* name : {"tampered-ciphertext", "version-2", "unknown-key-id", "truncated",
                           "not-base64", "url-encoded", "empty-input"}) {
    auto opened = codec_->Open(ReadFixture(name));
    ASSERT_FALSE(opened.has_value()) << name;
    EXPECT_EQ(opened.error().code, ErrorCode::kInvalidToken) << name;
  }
}

}  // namespace
}  // namespace kura::sts
