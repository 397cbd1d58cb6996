// Several accounts in one IdentityStore: each its own namespace, keys resolving to their account,
// closed accounts' credentials refused, an older data dir upgraded in place.
#include <gtest/gtest.h>

#include <future>

#include "iam/iam_credential_resolver.h"
#include "iam/identity_codec.h"
#include "iam/identity_store.h"
#include "iam_test_support.h"
#include "store/memory/memory_metadata_store.h"
#include "store/wait.h"

namespace kura::iam {
namespace {
using namespace testing;

constexpr char kMember[] = "444455556666";

Result<void> Wait(const std::function<void(std::function<void(Result<void>)>)>& start) {
  std::promise<Result<void>> done;
  auto f = done.get_future();
  start([&done](Result<void> r) { done.set_value(std::move(r)); });
  return f.get();
}

std::shared_ptr<const AccountInfo> Member(std::string id = kMember) {
  auto a = std::make_shared<AccountInfo>();
  a->id = std::move(id);
  a->name = "team-" + a->id.substr(0, 4);
  a->root_key = AccessKey{"AKIAROOT" + a->id.substr(0, 4), Secret("root-secret-" + a->id), true, {}};
  return a;
}

IdentityStore::Mutation AddUserNamed(const std::string& name, const std::string& key_id) {
  return [name, key_id](IdentityState& s) -> Result<void> {
    auto u = MakeUser(name);
    u->arn = IamArn(s.account_id, "user", "/", name);
    u->access_keys.push_back(AccessKey{key_id, Secret("secret-" + key_id), true, {}});
    s.users[NameKey(name)] = u;
    return Ok();
  };
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = IdentityStore::Open(metadata_, ManagementAccount(), TestSealer());
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
    ASSERT_TRUE(Wait([&](auto done) { store_->Add(Member(), [](IdentityState&) { return Ok(); }, done); }));
  }

  Result<void> Update(const std::string& account, const IdentityStore::Mutation& m) {
    return Wait([&](auto done) { store_->Update(account, m, done); });
  }

  store::MemoryMetadataStore metadata_;
  std::unique_ptr<IdentityStore> store_;
};

TEST_F(AccountsTest, EachAccountHasItsOwnNamespace) {
  ASSERT_TRUE(Update(kAccount, AddUserNamed("alice", "AKIAALICEMGMT")));
  ASSERT_TRUE(Update(kMember, AddUserNamed("alice", "AKIAALICEMEMBER")));
  auto management = store_->Current(kAccount);
  auto member = store_->Current(kMember);
  ASSERT_NE(member, nullptr);
  EXPECT_NE(management->FindUser("alice"), nullptr);
  EXPECT_NE(member->FindUser("alice"), nullptr);
  EXPECT_EQ(member->FindUserByAccessKey("AKIAALICEMGMT"), nullptr);
  auto directory = store_->Directory();
  EXPECT_EQ(directory->AccountOfKey("AKIAALICEMGMT")->account_id(), kAccount);
  EXPECT_EQ(directory->AccountOfKey("AKIAALICEMEMBER")->account_id(), kMember);
  EXPECT_EQ(directory->AccountOfKey("AKIAROOT4444")->account_id(), kMember);
  EXPECT_EQ(directory->management_account_id(), kAccount);
  EXPECT_EQ(store_->Current("999999999999"), nullptr);
}

TEST_F(AccountsTest, AddingAnExistingAccountIsRefused) {
  auto r = Wait([&](auto done) { store_->Add(Member(), [](IdentityState&) { return Ok(); }, done); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kEntityAlreadyExists);
  auto missing = Update("999999999999", [](IdentityState&) { return Ok(); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNoSuchEntity);
}

TEST_F(AccountsTest, MemberEntitiesAreStoredUnderTheirAccountsKinds) {
  ASSERT_TRUE(Update(kMember, AddUserNamed("bob", "AKIABOBMEMBER")));
  auto doc = metadata_.GetDocument(std::string(kUserKind) + "@" + kMember, "bob");
  ASSERT_TRUE(doc.has_value());
  EXPECT_TRUE(doc->has_value());
  auto plain = metadata_.GetDocument(kUserKind, "bob");
  ASSERT_TRUE(plain.has_value());
  EXPECT_FALSE(plain->has_value());
  auto account = metadata_.GetDocument(kAccountKind, kMember);
  ASSERT_TRUE(account.has_value() && account->has_value());
  EXPECT_EQ((*account)->find("root-secret-"), std::string::npos);  // sealed
}

TEST_F(AccountsTest, EveryAccountSurvivesAReopen) {
  ASSERT_TRUE(Update(kMember, AddUserNamed("bob", "AKIABOBMEMBER")));
  store_.reset();
  auto reopened = IdentityStore::Open(metadata_, ManagementAccount(), TestSealer());
  ASSERT_TRUE(reopened.has_value()) << reopened.error().message;
  auto member = (*reopened)->Current(kMember);
  ASSERT_NE(member, nullptr);
  EXPECT_NE(member->FindUser("bob"), nullptr);
  ASSERT_TRUE(member->state().account->root_key.has_value());
  EXPECT_EQ(member->state().account->root_key->secret.Reveal(), "root-secret-" + std::string(kMember));
  EXPECT_EQ((*reopened)->Directory()->AccountOfKey("AKIABOBMEMBER")->account_id(), kMember);
}

TEST_F(AccountsTest, KeysResolveToTheirAccountAndAClosedAccountsKeysAreRefused) {
  ASSERT_TRUE(Update(kMember, AddUserNamed("bob", "AKIABOBMEMBER")));
  FakeClock clock(TimePoint(std::chrono::seconds(1700000000)));
  KeyUsageTracker usage{"us-east-1"};
  IamCredentialResolver resolver(*store_, usage);
  auto user = resolver.Resolve("AKIABOBMEMBER", "");
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->principal->account_id, kMember);
  EXPECT_EQ(user->principal->arn, "arn:aws:iam::444455556666:user/bob");
  auto root = resolver.Resolve("AKIAROOT4444", "");
  ASSERT_TRUE(root.has_value());
  EXPECT_TRUE(root->principal->IsRoot());
  EXPECT_EQ(root->principal->arn, "arn:aws:iam::444455556666:root");

  ASSERT_TRUE(Update(kMember, [](IdentityState& s) -> Result<void> {
    auto closed = std::make_shared<AccountInfo>(*s.account);
    closed->status = AccountStatus::kSuspended;
    s.account = closed;
    return Ok();
  }));
  EXPECT_EQ(resolver.Resolve("AKIABOBMEMBER", "").error().code, ErrorCode::kInvalidAccessKeyId);
  EXPECT_EQ(resolver.Resolve("AKIAROOT4444", "").error().code, ErrorCode::kInvalidAccessKeyId);
}

TEST(AccountsUpgrade, AnOlderDataDirsEntitiesBecomeTheManagementAccounts) {
  store::MemoryMetadataStore metadata;
  // As a kura before accounts wrote it: entities under the plain kinds, no account record.
  auto u = MakeUser("carol");
  auto written = store::WaitFor<void>([&](store::Callback<void> done) {
    metadata.PutDocuments({store::DocumentWrite{std::string(kUserKind), "carol",
                                                EncodeUser(*u, TestSealer())}},
                          std::move(done));
  });
  ASSERT_TRUE(written);
  auto store = IdentityStore::Open(metadata, ManagementAccount(), TestSealer());
  ASSERT_TRUE(store.has_value()) << store.error().message;
  auto snapshot = (*store)->Current(kAccount);
  ASSERT_NE(snapshot, nullptr);
  EXPECT_NE(snapshot->FindUser("carol"), nullptr);
  EXPECT_TRUE(snapshot->state().account->management);
  auto record = metadata.GetDocument(kAccountKind, kAccount);
  ASSERT_TRUE(record.has_value() && record->has_value());
}

}  // namespace
}  // namespace kura::iam
