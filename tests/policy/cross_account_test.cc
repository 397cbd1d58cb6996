// Authorize across accounts (AuthorizationInput::resource_account), as
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// describes: the resource's account must allow through its resource policy, and the principal's
// own account through its identity policies (its root implicitly). The principals are account
// 111122223333's; the resource belongs to 444455556666.
#include <gtest/gtest.h>

#include "policy_test_support.h"

namespace kura::policy {
namespace {
using testing::MustParse;

constexpr char kOwner[] = "444455556666";
constexpr char kAllowS3[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";

std::string BucketPolicy(const std::string& principal, const char* effect = "Allow") {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":")" + std::string(effect) +
         R"(","Principal":{"AWS":")" + principal +
         R"("},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]})";
}

Decision Decide(const Principal& principal, const std::string* bucket_policy,
                const char* identity = nullptr, const char* owner = kOwner) {
  std::shared_ptr<const CompiledPolicy> resource, id;
  AuthorizationInput input;
  if (bucket_policy != nullptr) {
    resource = MustParse(*bucket_policy, PolicyKind::kResource, "bucket");
    input.resource_policy = resource.get();
  }
  if (identity != nullptr) {
    id = MustParse(identity, PolicyKind::kIdentity, "identity");
    input.identity_policies.push_back(id.get());
  }
  input.resource_account = owner;
  RequestContext context;
  Request request{.action = "s3:GetObject", .resource = "arn:aws:s3:::shared/k",
                  .principal = principal, .context = context};
  return Authorize(input, request).decision;
}

TEST(CrossAccount, WithoutAResourcePolicyNobodyOfAnotherAccountGetsIn) {
  EXPECT_EQ(Decide(testing::Root(), nullptr), Decision::kImplicitDeny);
  EXPECT_EQ(Decide(testing::User("alice"), nullptr, kAllowS3), Decision::kImplicitDeny);
}

TEST(CrossAccount, AGrantToTheAccountLetsItsRootInAndItsUsersOnlyWithTheirOwnAllow) {
  std::string policy = BucketPolicy("arn:aws:iam::111122223333:root");
  EXPECT_EQ(Decide(testing::Root(), &policy), Decision::kAllow);
  EXPECT_EQ(Decide(testing::User("alice"), &policy), Decision::kImplicitDeny);
  EXPECT_EQ(Decide(testing::User("alice"), &policy, kAllowS3), Decision::kAllow);
  EXPECT_EQ(Decide(testing::RoleSession(), &policy, kAllowS3), Decision::kAllow);
}

TEST(CrossAccount, AGrantNamingTheUserStillNeedsItsAccountsAllow) {
  std::string policy = BucketPolicy("arn:aws:iam::111122223333:user/alice");
  EXPECT_EQ(Decide(testing::User("alice"), &policy), Decision::kImplicitDeny);
  EXPECT_EQ(Decide(testing::User("alice"), &policy, kAllowS3), Decision::kAllow);
  EXPECT_EQ(Decide(testing::User("bob"), &policy, kAllowS3), Decision::kImplicitDeny);
}

TEST(CrossAccount, AnExplicitDenyOnEitherSideWins) {
  std::string deny = BucketPolicy("arn:aws:iam::111122223333:root", "Deny");
  EXPECT_EQ(Decide(testing::Root(), &deny), Decision::kExplicitDeny);
  std::string allow = BucketPolicy("*");
  const char* deny_identity =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]})";
  EXPECT_EQ(Decide(testing::User("alice"), &allow, deny_identity), Decision::kExplicitDeny);
}

TEST(CrossAccount, TheOwnersOwnPrincipalsKeepSameAccountRules) {
  std::string policy = BucketPolicy("arn:aws:iam::111122223333:user/alice");
  // resource_account = the principal's account: the resource policy alone suffices.
  EXPECT_EQ(Decide(testing::User("alice"), &policy, nullptr, testing::kAccount), Decision::kAllow);
  EXPECT_EQ(Decide(testing::Root(), nullptr, nullptr, testing::kAccount), Decision::kAllow);
}

TEST(CrossAccount, AnonymousCallersAreJudgedByTheResourcePolicyAlone) {
  std::string open = BucketPolicy("*");
  EXPECT_EQ(Decide(testing::Anonymous(), &open), Decision::kAllow);
  EXPECT_EQ(Decide(testing::Anonymous(), nullptr), Decision::kImplicitDeny);
}

}  // namespace
}  // namespace kura::policy
