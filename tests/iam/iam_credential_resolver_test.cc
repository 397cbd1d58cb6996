#include "iam/iam_credential_resolver.h"

#include <gtest/gtest.h>

#include "iam_test_support.h"

namespace kura::iam {
namespace {
using namespace testing;

class TokenResolver final : public sigv4::CredentialResolver {
 public:
  Result<sigv4::ResolvedCredential> Resolve(std::string_view, std::string_view) const override {
    ++calls;
    return MakeError(ErrorCode::kExpiredToken);
  }
  mutable int calls = 0;
};

class IamCredentialResolverTest : public ::testing::Test {
 protected:
  IamCredentialResolverTest() : source_(State()), clock_(TimePoint(std::chrono::seconds(1700000000))) {}
  static IdentityState State() {
    IdentityState s;
    auto u = MakeUser("alice");
    u->access_keys.push_back(AccessKey{"AKIAACTIVE", Secret("active-secret"), true, {}});
    u->access_keys.push_back(AccessKey{"AKIAINACTIVE", Secret("inactive-secret"), false, {}});
    s.users["alice"] = u;
    return s;
  }
  FixedSource source_;
  FakeClock clock_;
  KeyUsageTracker usage_;
};

TEST_F(IamCredentialResolverTest, ResolvesAnActiveKeyToTheUserPrincipal) {
  IamCredentialResolver resolver(source_, clock_, usage_);
  auto r = resolver.Resolve("AKIAACTIVE", "");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->secret_key.Reveal(), "active-secret");
  EXPECT_EQ(r->principal->type, PrincipalType::kUser);
  EXPECT_EQ(r->principal->arn, "arn:aws:iam::111122223333:user/alice");
  EXPECT_EQ(r->principal->user_name, "alice");
  EXPECT_EQ(r->principal->access_key_id, "AKIAACTIVE");
  EXPECT_EQ(r->principal->account_id, kAccount);
}

TEST_F(IamCredentialResolverTest, RefusesInactiveAndUnknownKeys) {
  IamCredentialResolver resolver(source_, clock_, usage_);
  EXPECT_EQ(resolver.Resolve("AKIAINACTIVE", "").error().code, ErrorCode::kInvalidAccessKeyId);
  EXPECT_EQ(resolver.Resolve("AKIAUNKNOWN", "").error().code, ErrorCode::kInvalidAccessKeyId);
}

TEST_F(IamCredentialResolverTest, LeavesSessionTokensToTheNextResolverOfTheChain) {
  IamCredentialResolver alone(source_, clock_, usage_);
  EXPECT_EQ(alone.Resolve("ASIAX", "token").error().code, ErrorCode::kInvalidAccessKeyId);
  TokenResolver sts;
  sigv4::CredentialResolverChain chain({&alone, &sts});
  EXPECT_EQ(chain.Resolve("ASIAX", "token").error().code, ErrorCode::kExpiredToken);
  EXPECT_EQ(sts.calls, 1);
}

TEST_F(IamCredentialResolverTest, RecordsLastUseInMemory) {
  IamCredentialResolver resolver(source_, clock_, usage_);
  EXPECT_FALSE(usage_.LastUsedAt("AKIAACTIVE").has_value());
  ASSERT_TRUE(resolver.Resolve("AKIAACTIVE", "").has_value());
  ASSERT_TRUE(usage_.LastUsedAt("AKIAACTIVE").has_value());
  EXPECT_EQ(*usage_.LastUsedAt("AKIAACTIVE"), clock_.Now());
}

}  // namespace
}  // namespace kura::iam
