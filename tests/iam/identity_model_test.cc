#include "iam/identity_model.h"

#include <gtest/gtest.h>

#include "iam_test_support.h"

namespace kura::iam {
namespace {
using namespace testing;

IdentityState SampleState() {
  IdentityState s;
  s.account_id = kAccount;
  auto policy = MakePolicy("read", Allow("s3:GetObject", "*"));
  s.policies["read"] = policy;
  auto group = std::make_shared<Group>();
  group->name = "Readers";
  group->arn = IamArn(kAccount, "group", "/", "Readers");
  group->inline_policies.push_back(Inline("g", Allow("s3:ListBucket", "*")));
  group->attached_policy_arns.push_back(policy->arn);
  s.groups["readers"] = group;
  auto alice = MakeUser("Alice");
  alice->inline_policies.push_back(Inline("own", Allow("s3:PutObject", "*")));
  alice->groups.push_back("Readers");
  alice->access_keys.push_back(AccessKey{"AKIAALICE", Secret("s"), true, {}});
  alice->boundary_arn = policy->arn;
  s.users["alice"] = alice;
  s.roles["app"] = MakeRole("app");
  return s;
}

TEST(IdentitySnapshot, FindsUsersByNameIgnoringCase) {
  IdentitySnapshot snap(SampleState());
  ASSERT_NE(snap.FindUser("alice"), nullptr);
  EXPECT_EQ(snap.FindUser("ALICE")->name, "Alice");
  EXPECT_EQ(snap.FindUser("bob"), nullptr);
}

TEST(IdentitySnapshot, FindsUsersAndKeysByAccessKeyId) {
  IdentitySnapshot snap(SampleState());
  ASSERT_NE(snap.FindUserByAccessKey("AKIAALICE"), nullptr);
  EXPECT_EQ(snap.FindUserByAccessKey("AKIAALICE")->name, "Alice");
  EXPECT_TRUE(snap.FindAccessKey("AKIAALICE")->active);
  EXPECT_EQ(snap.FindUserByAccessKey("AKIANOPE"), nullptr);
}

TEST(IdentitySnapshot, GathersUserInlineAttachedAndGroupPolicies) {
  IdentitySnapshot snap(SampleState());
  const EffectivePolicies& e = snap.ForUser(*snap.FindUser("alice"));
  EXPECT_EQ(e.identity.size(), 3u);  // own inline + group inline + group attached
  ASSERT_NE(e.boundary, nullptr);
  EXPECT_EQ(e.boundary->policy_id(), IamArn(kAccount, "policy", "/", "read"));
}

TEST(IdentitySnapshot, CountsAttachmentsAndBoundaryUses) {
  IdentitySnapshot snap(SampleState());
  std::string arn = IamArn(kAccount, "policy", "/", "read");
  EXPECT_EQ(snap.AttachmentCount(arn), 1);
  EXPECT_EQ(snap.BoundaryUsageCount(arn), 1);
  EXPECT_EQ(snap.AttachmentCount("arn:aws:iam::111122223333:policy/none"), 0);
}

TEST(IdentitySnapshot, FindsRolesByArnExactlyAndByNameIgnoringCase) {
  IdentitySnapshot snap(SampleState());
  EXPECT_NE(snap.FindRoleByArn("arn:aws:iam::111122223333:role/app"), nullptr);
  EXPECT_EQ(snap.FindRoleByArn("arn:aws:iam::111122223333:role/APP"), nullptr);
  EXPECT_NE(snap.FindRoleByName("APP"), nullptr);
}

TEST(IdentitySnapshot, ListsGroupMembers) {
  IdentitySnapshot snap(SampleState());
  EXPECT_EQ(snap.GroupMembers("readers"), std::vector<std::string>{"Alice"});
}

TEST(IamArn, FormsArnsWithPaths) {
  EXPECT_EQ(IamArn("123456789012", "user", "/", "bob"), "arn:aws:iam::123456789012:user/bob");
  EXPECT_EQ(IamArn("123456789012", "role", "/app/x/", "r"),
            "arn:aws:iam::123456789012:role/app/x/r");
}

}  // namespace
}  // namespace kura::iam
