#include "organizations/account_creation.h"

#include <gtest/gtest.h>

#include <future>

#include "iam/identity_store.h"
#include "policy/context_keys.h"
#include "policy/policy.h"
#include "store/memory/memory_metadata_store.h"
#include "tests/iam/iam_test_support.h"

namespace kura::organizations {
namespace {
using iam::testing::kAccount;

Result<void> Wait(const std::function<void(std::function<void(Result<void>)>)>& start) {
  std::promise<Result<void>> done;
  auto f = done.get_future();
  start([&done](Result<void> r) { done.set_value(std::move(r)); });
  return f.get();
}

Principal RootOf(const std::string& account) {
  Principal root;
  root.type = PrincipalType::kRoot;
  root.account_id = account;
  root.arn = "arn:aws:iam::" + account + ":root";
  return root;
}

class AccountCreationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = iam::IdentityStore::Open(metadata_, iam::testing::ManagementAccount(),
                                           iam::testing::TestSealer());
    ASSERT_TRUE(opened.has_value());
    store_ = std::move(*opened);
  }

  std::shared_ptr<const iam::AccountInfo> Create(
      const std::string& email, const std::string& role = "OrganizationAccountAccessRole") {
    auto account = NewMemberAccount(*store_->Directory(), "team", email, random_, now_);
    EXPECT_TRUE(Wait([&](auto done) {
      store_->Add(account, AccessRoleMutation(kAccount, role, random_, now_), done);
    }));
    return account;
  }

  bool TrustAllows(const iam::Role& role, const Principal& who) {
    policy::RequestContext context = policy::BuildRequestContext(who, policy::RequestFacts{});
    auto eval = policy::Evaluate(*role.trust_policy,
                                 policy::Request{"sts:AssumeRole", role.arn, who, context});
    return eval.effect == policy::Effect::kAllow;
  }

  store::MemoryMetadataStore metadata_;
  std::unique_ptr<iam::IdentityStore> store_;
  SecureRandom random_;
  TimePoint now_ = FromUnixSeconds(1700000000);
};

TEST_F(AccountCreationTest, ANewAccountHasItsOwnIdAndRootKey) {
  auto account = Create("team@example.com");
  EXPECT_EQ(account->id.size(), 12u);
  EXPECT_NE(account->id, kAccount);
  EXPECT_FALSE(account->management);
  EXPECT_TRUE(account->active());
  EXPECT_EQ(account->joined, now_);
  ASSERT_TRUE(account->root_key.has_value());
  EXPECT_TRUE(account->root_key->id.starts_with("AKIA"));
  EXPECT_EQ(account->root_key->secret.Reveal().size(), 40u);
  const iam::IdentitySnapshot* holder = store_->Directory()->AccountOfKey(account->root_key->id);
  ASSERT_NE(holder, nullptr);
  EXPECT_EQ(holder->account_id(), account->id);
}

TEST_F(AccountCreationTest, TheAccessRoleTrustsTheManagementRootAndAdministersTheAccount) {
  auto account = Create("team@example.com");
  auto snapshot = store_->Current(account->id);
  const iam::Role* role = snapshot->FindRoleByName("OrganizationAccountAccessRole");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->arn, "arn:aws:iam::" + account->id + ":role/OrganizationAccountAccessRole");
  Principal management_root = RootOf(kAccount);
  Principal other = RootOf("999988887777");
  EXPECT_TRUE(TrustAllows(*role, management_root));
  EXPECT_FALSE(TrustAllows(*role, other));
  const auto& policies = snapshot->ForRole(*role).identity;
  ASSERT_EQ(policies.size(), 1u);
  ASSERT_EQ(role->inline_policies.size(), 1u);
  EXPECT_EQ(role->inline_policies[0].name, "AdministratorAccess");
}

TEST_F(AccountCreationTest, TheRoleNameCanBeChosen) {
  auto account = Create("team@example.com", "Admins");
  auto snapshot = store_->Current(account->id);
  EXPECT_NE(snapshot->FindRoleByName("Admins"), nullptr);
  EXPECT_EQ(snapshot->FindRoleByName("OrganizationAccountAccessRole"), nullptr);
}

TEST_F(AccountCreationTest, EmailsAreComparedIgnoringCase) {
  Create("Team@Example.com");
  EXPECT_TRUE(EmailTaken(*store_->Directory(), "team@example.COM"));
  EXPECT_FALSE(EmailTaken(*store_->Directory(), "other@example.com"));
}

}  // namespace
}  // namespace kura::organizations
