#include "sts/session_token.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "common/encoding.h"
#include "tests/sts/test_claims.h"

namespace kura::sts {
namespace {

using testing::FullClaims;
using testing::TestEpoch;
using testing::TestRing;
using testing::TypicalAssumedRoleClaims;

class SessionTokenTest : public ::testing::Test {
 protected:
  std::unique_ptr<TokenCodec> MakeCodec(const TokenKeyRing& ring) {
    auto codec = TokenCodec::Create(ring, random_);
    EXPECT_TRUE(codec.has_value());
    return std::move(codec).value();
  }
  std::string SealOrDie(const SessionClaims& claims) {
    auto token = codec_->Seal(claims);
    EXPECT_TRUE(token.has_value());
    return token.has_value() ? *token : std::string();
  }
  void ExpectInvalid(std::string_view token) {
    auto opened = codec_->Open(token);
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().code, ErrorCode::kInvalidToken);
  }

  FakeRandom random_{42};
  std::unique_ptr<TokenKeyRing> ring_ = TestRing(random_);
  std::unique_ptr<TokenCodec> codec_ = MakeCodec(*ring_);
};

TEST_F(SessionTokenTest, RoundTripsEveryField) {
  SessionClaims in = FullClaims();
  auto out = codec_->Open(SealOrDie(in));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->kind, in.kind);
  EXPECT_EQ(out->access_key_id, in.access_key_id);
  EXPECT_EQ(out->secret_access_key.Reveal(), in.secret_access_key.Reveal());
  EXPECT_EQ(out->issued_at, in.issued_at);
  EXPECT_EQ(out->expires_at, in.expires_at);
  EXPECT_EQ(out->account_id, in.account_id);
  EXPECT_EQ(out->role_id, in.role_id);
  EXPECT_EQ(out->role_arn, in.role_arn);
  EXPECT_EQ(out->role_name, in.role_name);
  EXPECT_EQ(out->session_name, in.session_name);
  EXPECT_EQ(out->caller_arn, in.caller_arn);
  EXPECT_EQ(out->caller_user_id, in.caller_user_id);
  EXPECT_EQ(out->caller_user_name, in.caller_user_name);
  EXPECT_EQ(out->session_policy, in.session_policy);
  EXPECT_EQ(out->policy_arns, in.policy_arns);
  EXPECT_EQ(out->tags, in.tags);
  EXPECT_EQ(out->transitive_tag_keys, in.transitive_tag_keys);
  EXPECT_EQ(out->source_identity, in.source_identity);
  EXPECT_EQ(out->chained, in.chained);
  EXPECT_EQ(out->mfa_authenticated, in.mfa_authenticated);
  EXPECT_EQ(out->web_identity_provider_arn, in.web_identity_provider_arn);
  EXPECT_EQ(out->web_identity_subject, in.web_identity_subject);
  EXPECT_EQ(out->web_identity_audience, in.web_identity_audience);
}

TEST_F(SessionTokenTest, RoundTripsEveryKind) {
  for (auto kind : {SessionKind::kAssumedRole, SessionKind::kUserSession, SessionKind::kRootSession,
                    SessionKind::kWebIdentity}) {
    SessionClaims in = TypicalAssumedRoleClaims();
    in.kind = kind;
    auto out = codec_->Open(SealOrDie(in));
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->kind, kind);
  }
}

TEST_F(SessionTokenTest, RoundTripsAMaximalSessionPolicyWithTenArnsAndFiftyTags) {
  SessionClaims in = FullClaims();
  in.session_policy = std::string(limits::kMaxSessionPolicyChars, 'x');
  in.policy_arns.assign(limits::kMaxSessionPolicyArns, "arn:aws:iam::123456789012:policy/p");
  in.tags.clear();
  for (int i = 0; i < limits::kMaxSessionTags; ++i) {
    in.tags.emplace_back("key-" + std::to_string(i), "value-" + std::to_string(i));
  }
  std::string token = SealOrDie(in);
  EXPECT_EQ(token.size(), SealedTokenChars(in));
  EXPECT_LE(PackedPolicySizePercent(in), 100);
  auto out = codec_->Open(token);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->session_policy, in.session_policy);
  EXPECT_EQ(out->policy_arns, in.policy_arns);
  EXPECT_EQ(out->tags, in.tags);
}

TEST_F(SessionTokenTest, RefusesClaimsTooLargeToPackAsPackedPolicyTooLarge) {
  SessionClaims in = FullClaims();
  for (int i = 0; i < limits::kMaxSessionTags; ++i) {
    in.tags.emplace_back(std::string(128, 'k'), std::string(256, 'v'));
  }
  EXPECT_GT(PackedPolicySizePercent(in), 100);
  auto token = codec_->Seal(in);
  ASSERT_FALSE(token.has_value());
  EXPECT_EQ(token.error().code, ErrorCode::kPackedPolicyTooLarge);
}

TEST_F(SessionTokenTest, IsCompactStandardBase64) {
  std::string token = SealOrDie(TypicalAssumedRoleClaims());
  EXPECT_TRUE(Base64Decode(token).has_value());
  EXPECT_EQ(token.size(), SealedTokenChars(TypicalAssumedRoleClaims()));
  EXPECT_LT(token.size(), 300u) << token.size();
  EXPECT_LE(PackedPolicySizePercent(TypicalAssumedRoleClaims()), 4);
  RecordProperty("typical_token_chars", static_cast<int>(token.size()));
}

TEST_F(SessionTokenTest, UsesAFreshNonceEachTime) {
  SessionClaims claims = TypicalAssumedRoleClaims();
  EXPECT_NE(SealOrDie(claims), SealOrDie(claims));
}

TEST_F(SessionTokenTest, NeverShowsTheSecretKey) {
  SessionClaims claims = TypicalAssumedRoleClaims();
  std::string token = SealOrDie(claims);
  std::string raw = *Base64Decode(token);
  std::string secret(claims.secret_access_key.Reveal());
  EXPECT_EQ(token.find(secret.substr(0, 8)), std::string::npos);
  EXPECT_EQ(raw.find(secret.substr(0, 8)), std::string::npos);
  EXPECT_EQ(raw.find(claims.access_key_id), std::string::npos);
}

TEST_F(SessionTokenTest, RejectsEveryTamperedByte) {
  std::string raw = *Base64Decode(SealOrDie(FullClaims()));
  for (size_t i = 0; i < raw.size(); ++i) {
    for (uint8_t flip : {0x01, 0x80, 0xff}) {
      std::string tampered = raw;
      tampered[i] = static_cast<char>(tampered[i] ^ flip);
      ExpectInvalid(Base64Encode(tampered));
    }
  }
}

TEST_F(SessionTokenTest, RejectsEveryTruncationAndExtension) {
  std::string token = SealOrDie(TypicalAssumedRoleClaims());
  std::string raw = *Base64Decode(token);
  for (size_t n = 0; n < raw.size(); ++n) ExpectInvalid(Base64Encode(raw.substr(0, n)));
  for (size_t n = 0; n < token.size(); ++n) ExpectInvalid(token.substr(0, n));
  ExpectInvalid(Base64Encode(raw + '\0'));
  ExpectInvalid(token + "AAAA");
}

TEST_F(SessionTokenTest, RejectsGarbage) {
  for (std::string_view garbage :
       {"", "=", "====", "not base64!", "AQAAAAE=", "FQoGZXIvYXdzEJr//////////wEaDA==",
        "AQAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    ExpectInvalid(garbage);
  }
  ExpectInvalid(std::string(kMaxSessionTokenChars + 4, 'A'));
}

TEST_F(SessionTokenTest, RejectsAnUnknownVersionEvenWithAValidTag) {
  std::string raw = *Base64Decode(SealOrDie(TypicalAssumedRoleClaims()));
  raw[0] = static_cast<char>(kTokenFormatVersion + 1);
  ExpectInvalid(Base64Encode(raw));
}

TEST_F(SessionTokenTest, RejectsATokenSealedWithAnotherKey) {
  FakeRandom other_random(99);
  auto other_ring = TestRing(other_random);  // same key id 1, other material
  auto other = MakeCodec(*other_ring);
  auto token = other->Seal(TypicalAssumedRoleClaims());
  ASSERT_TRUE(token.has_value());
  ExpectInvalid(*token);

  auto unknown_id_ring = TestRing(other_random, 7);
  auto unknown = MakeCodec(*unknown_id_ring);
  ExpectInvalid(*unknown->Seal(TypicalAssumedRoleClaims()));
}

TEST_F(SessionTokenTest, OldTokensOpenAfterRotationUntilTheirKeyIsPruned) {
  std::string old_token = SealOrDie(TypicalAssumedRoleClaims());
  ASSERT_TRUE(ring_->Rotate(TestEpoch()));
  std::string new_token = SealOrDie(TypicalAssumedRoleClaims());
  EXPECT_EQ(Base64Decode(old_token)->substr(0, 5), std::string("\x02\0\0\0\x01", 5));
  EXPECT_EQ(Base64Decode(new_token)->substr(0, 5), std::string("\x02\0\0\0\x02", 5));
  EXPECT_TRUE(codec_->Open(old_token).has_value());
  EXPECT_TRUE(codec_->Open(new_token).has_value());

  ASSERT_TRUE(ring_->Prune(TestEpoch() + kTokenKeyRetention - std::chrono::seconds(1)));
  EXPECT_TRUE(codec_->Open(old_token).has_value());
  ASSERT_TRUE(ring_->Prune(TestEpoch() + kTokenKeyRetention));
  ExpectInvalid(old_token);
  EXPECT_TRUE(codec_->Open(new_token).has_value());
}

TEST_F(SessionTokenTest, AKeyRotatedWithALeadTimeOpensAtOnceButSealsOnlyFromItsDate) {
  // The nodes sharing a ring load a rotation within a poll interval; sealing waits for the lead
  // time, so no node meets a token sealed with a key it has not loaded yet.
  constexpr std::chrono::seconds kLead{10};
  ASSERT_TRUE(ring_->Rotate(TestEpoch(), kLead));
  SessionClaims during = TypicalAssumedRoleClaims();
  during.issued_at = TestEpoch() + kLead - std::chrono::seconds(1);
  EXPECT_EQ(Base64Decode(SealOrDie(during))->substr(0, 5), std::string("\x02\0\0\0\x01", 5));
  SessionClaims after = TypicalAssumedRoleClaims();
  after.issued_at = TestEpoch() + kLead;
  std::string new_token = SealOrDie(after);
  EXPECT_EQ(Base64Decode(new_token)->substr(0, 5), std::string("\x02\0\0\0\x02", 5));
  EXPECT_TRUE(codec_->Open(new_token).has_value());
}

TEST_F(SessionTokenTest, AClockBehindEveryKeySealsWithTheOldest) {
  ASSERT_TRUE(ring_->Rotate(TestEpoch() + std::chrono::hours(1)));
  SessionClaims early = TypicalAssumedRoleClaims();
  early.issued_at = TestEpoch() - std::chrono::hours(1);
  EXPECT_EQ(Base64Decode(SealOrDie(early))->substr(0, 5), std::string("\x02\0\0\0\x01", 5));
}

TEST(SessionTokenConcurrency, OpensWhileTheRingRotates) {
  SecureRandom random;
  KeySet keys;
  keys.keys.push_back(NewTokenKey(random, 1, TestEpoch()));
  auto ring = TokenKeyRing::InMemory(kTokenKeys, std::move(keys), random);
  auto codec = std::move(TokenCodec::Create(*ring, random)).value();
  std::atomic<bool> failed = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        auto token = codec->Seal(FullClaims());
        if (!token || !codec->Open(*token)) failed = true;
      }
    });
  }
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(ring->Rotate(TestEpoch()));
  for (auto& thread : threads) thread.join();
  EXPECT_FALSE(failed);
}

TEST(SessionClaimsTest, AssignsAwsShapedCredentials) {
  FakeRandom random(3);
  SessionClaims claims;
  AssignNewCredentials(random, claims);
  EXPECT_EQ(claims.access_key_id.rfind("ASIA", 0), 0u);
  EXPECT_EQ(claims.access_key_id.size(), 20u);
  EXPECT_EQ(claims.secret_access_key.Reveal().size(), 40u);
}

}  // namespace
}  // namespace kura::sts
