#include "sts/claims_encoding.h"

#include <gtest/gtest.h>

#include "tests/sts/test_claims.h"

namespace kura::sts {
namespace {

using testing::FullClaims;

TEST(ClaimsEncoding, RoundTripsFullClaims) {
  std::string bytes = EncodeClaims(FullClaims());
  auto decoded = DecodeClaims(bytes);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(EncodeClaims(*decoded), bytes);
}

TEST(ClaimsEncoding, RejectsEveryProperPrefix) {
  std::string bytes = EncodeClaims(FullClaims());
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeClaims(bytes.substr(0, n)).has_value()) << "prefix of " << n;
  }
}

TEST(ClaimsEncoding, RejectsTrailingBytes) {
  std::string bytes = EncodeClaims(FullClaims());
  EXPECT_FALSE(DecodeClaims(bytes + '\0').has_value());
}

TEST(ClaimsEncoding, RejectsUnknownKind) {
  std::string bytes = EncodeClaims(FullClaims());
  for (uint8_t kind : {0, 5, 0xff}) {
    bytes[0] = static_cast<char>(kind);
    EXPECT_FALSE(DecodeClaims(bytes).has_value()) << int(kind);
  }
}

TEST(ClaimsEncoding, RejectsUnknownFlags) {
  SessionClaims claims = testing::TypicalAssumedRoleClaims();
  std::string bytes = EncodeClaims(claims);
  // Flags sit just before the three empty web identity strings and the empty web identity
  // context (four zero bytes).
  size_t flags_at = bytes.size() - 5;
  ASSERT_EQ(bytes[flags_at], 0);
  bytes[flags_at] = 0x04;
  EXPECT_FALSE(DecodeClaims(bytes).has_value());
  bytes[flags_at] = 0x03;
  auto decoded = DecodeClaims(bytes);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_TRUE(decoded->chained);
  EXPECT_TRUE(decoded->mfa_authenticated);
}

TEST(ClaimsEncoding, RejectsLengthsBeyondTheInput) {
  // kind, then an access key id claiming 2^63 bytes (overlong varint) and one claiming 100.
  EXPECT_FALSE(DecodeClaims(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10)));
  EXPECT_FALSE(DecodeClaims(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11)));
  EXPECT_FALSE(
      DecodeClaims(std::string("\x01\x64"
                               "ASIA",
                               6)));
}

// Found by fuzzing: a time of 2^63-1 seconds overflowed the nanosecond TimePoint.
TEST(ClaimsEncoding, RejectsTimesBeyondWhatATimePointHolds) {
  std::string bytes = EncodeClaims(testing::TypicalAssumedRoleClaims());
  std::string prefix = bytes.substr(0, 1 + 1 + 20 + 1 + 40);  // kind, key id, secret
  std::string huge("\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 9);
  EXPECT_FALSE(DecodeClaims(prefix + huge + bytes.substr(prefix.size() + 5)).has_value());
}

TEST(ClaimsEncoding, ClampsTimesOutsideItsRangeWhenEncoding) {
  SessionClaims claims = testing::TypicalAssumedRoleClaims();
  claims.issued_at = FromUnixSeconds(-5);
  claims.expires_at = FromUnixSeconds(9000000000);
  auto decoded = DecodeClaims(EncodeClaims(claims));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(UnixSeconds(decoded->issued_at), 0);
  EXPECT_EQ(UnixSeconds(decoded->expires_at), 7258118399);
}

TEST(ClaimsEncoding, RoundTripsTheWebIdentityContext) {
  SessionClaims claims = testing::TypicalAssumedRoleClaims();
  claims.kind = SessionKind::kWebIdentity;
  claims.web_identity_context = {{"idp.example.com:sub", {"u1"}},
                                 {"idp.example.com:amr", {"pwd", "mfa"}}};
  auto decoded = DecodeClaims(EncodeClaims(claims));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->web_identity_context, claims.web_identity_context);
}

TEST(ClaimsEncoding, Version1RecordsEndAfterTheAudience) {
  SessionClaims claims = testing::TypicalAssumedRoleClaims();
  std::string v2 = EncodeClaims(claims);
  std::string v1 = v2.substr(0, v2.size() - 1);  // without the empty context count
  EXPECT_TRUE(DecodeClaims(v1, 1).has_value());
  EXPECT_FALSE(DecodeClaims(v1, 2).has_value());
  EXPECT_FALSE(DecodeClaims(v2, 1).has_value());
  EXPECT_FALSE(DecodeClaims(v2, 3).has_value());
}

}  // namespace
}  // namespace kura::sts
