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
  IamCredentialResolverTest() : source_(State()) {}
  static IdentityState State() {
    IdentityState s;
    auto u = MakeUser("alice");
    u->access_keys.push_back(AccessKey{"AKIAACTIVE", Secret("active-secret"), true, {}});
    u->access_keys.push_back(AccessKey{"AKIAINACTIVE", Secret("inactive-secret"), false, {}});
    s.users["alice"] = u;
    return s;
  }
  FixedSource source_;
  KeyUsageTracker usage_{"us-east-1"};
};

TEST_F(IamCredentialResolverTest, ResolvesAnActiveKeyToTheUserPrincipal) {
  IamCredentialResolver resolver(source_, usage_);
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
  IamCredentialResolver resolver(source_, usage_);
  EXPECT_EQ(resolver.Resolve("AKIAINACTIVE", "").error().code, ErrorCode::kInvalidAccessKeyId);
  EXPECT_EQ(resolver.Resolve("AKIAUNKNOWN", "").error().code, ErrorCode::kInvalidAccessKeyId);
}

TEST_F(IamCredentialResolverTest, LeavesSessionTokensToTheNextResolverOfTheChain) {
  IamCredentialResolver alone(source_, usage_);
  EXPECT_EQ(alone.Resolve("ASIAX", "token").error().code, ErrorCode::kInvalidAccessKeyId);
  TokenResolver sts;
  sigv4::CredentialResolverChain chain({&alone, &sts});
  EXPECT_EQ(chain.Resolve("ASIAX", "token").error().code, ErrorCode::kExpiredToken);
  EXPECT_EQ(sts.calls, 1);
}

TEST_F(IamCredentialResolverTest, HandsTheKeysUsageSlotToTheVerifierAndRecordsNothingItself) {
  IamCredentialResolver resolver(source_, usage_);
  auto r = resolver.Resolve("AKIAACTIVE", "");
  ASSERT_TRUE(r.has_value());
  ASSERT_NE(r->use, nullptr);
  EXPECT_EQ(r->use, resolver.Resolve("AKIAACTIVE", "")->use) << "one slot per key, reused";
  EXPECT_FALSE(usage_.LastUse("AKIAACTIVE").has_value()) << "resolving is no use";
}

}  // namespace
}  // namespace kura::iam
