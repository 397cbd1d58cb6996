// Two IdentityStores over ONE metadata store: two nodes of a cluster (issue #20). A write on one
// must not overwrite the other's newer state (the conditional write), and each must see the
// other's writes once it reloads (what the configuration follower does).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "iam/identity_store.h"
#include "iam_test_support.h"
#include "store/memory/memory_metadata_store.h"
#include "store/store.h"

namespace kura::iam {
namespace {
using namespace testing;

Result<void> UpdateNow(IdentityStore& store, const IdentityStore::Mutation& m) {
  Result<void> result = MakeError(ErrorCode::kInternalError, "done not called");
  store.Update(kAccount, m, [&result](Result<void> r) { result = std::move(r); });
  return result;
}

Result<void> AddUserWithKey(IdentityStore& store, const std::string& name) {
  return UpdateNow(store, [&](IdentityState& s) -> Result<void> {
    auto u = MakeUser(name);
    u->access_keys.push_back(AccessKey{"AKIA" + name, Secret("secret-" + name), true, {}});
    s.users[NameKey(name)] = u;
    return Ok();
  });
}

IdentityStore::Mutation DeleteKeysOf(const std::string& name) {
  return [name](IdentityState& s) -> Result<void> {
    auto it = s.users.find(NameKey(name));
    if (it == s.users.end()) return MakeError(ErrorCode::kNoSuchEntity, "no user");
    auto copy = std::make_shared<User>(*it->second);
    copy->access_keys.clear();
    it->second = copy;
    return Ok();
  };
}

bool Accepts(const IdentityStore& store, const std::string& key_id) {
  return store.Current(kAccount)->FindUserByAccessKey(key_id) != nullptr;
}

// The memory store, or the SQLite store of a data dir.
class IdentityStoreNodes : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      static int serial = 0;
      dir_ = std::filesystem::temp_directory_path() /
             ("kura-iam-nodes-" + std::to_string(::getpid()) + "-" + std::to_string(++serial));
      std::filesystem::remove_all(dir_);
      auto opened = store::OpenDataDir(dir_);
      ASSERT_TRUE(opened) << opened.error().message;
      store_ = std::move(opened).value();
    } else {
      store_ = store::NewMemoryStore();
    }
    auto a = IdentityStore::Open(*store_.metadata, ManagementAccount(), TestSealer());
    auto b = IdentityStore::Open(*store_.metadata, ManagementAccount(), TestSealer());
    ASSERT_TRUE(a && b);
    node_a_ = std::move(a).value();
    node_b_ = std::move(b).value();
  }
  void TearDown() override {
    node_a_.reset();
    node_b_.reset();
    store_ = {};
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  store::Store store_;
  std::unique_ptr<IdentityStore> node_a_;
  std::unique_ptr<IdentityStore> node_b_;
};

TEST_P(IdentityStoreNodes, AWriteOnOneNodeDoesNotResurrectAKeyTheOtherDeleted) {
  ASSERT_TRUE(AddUserWithKey(*node_a_, "alice"));
  ASSERT_TRUE(node_b_->Reload());
  ASSERT_TRUE(Accepts(*node_b_, "AKIAalice"));
  ASSERT_TRUE(UpdateNow(*node_a_, DeleteKeysOf("alice")));
  ASSERT_TRUE(AddUserWithKey(*node_b_, "bob"));  // B's copy still held alice's key
  EXPECT_FALSE(Accepts(*node_b_, "AKIAalice"));
  EXPECT_TRUE(Accepts(*node_b_, "AKIAbob"));
  auto reopened = IdentityStore::Open(*store_.metadata, ManagementAccount(), TestSealer());
  ASSERT_TRUE(reopened);
  EXPECT_FALSE(Accepts(**reopened, "AKIAalice"));
  EXPECT_TRUE(Accepts(**reopened, "AKIAbob"));
}

TEST_P(IdentityStoreNodes, AReloadMakesTheOtherNodesDeletionTakeEffect) {
  ASSERT_TRUE(AddUserWithKey(*node_a_, "alice"));
  ASSERT_TRUE(node_b_->Reload());
  ASSERT_TRUE(Accepts(*node_b_, "AKIAalice"));
  ASSERT_TRUE(UpdateNow(*node_a_, DeleteKeysOf("alice")));
  EXPECT_TRUE(Accepts(*node_b_, "AKIAalice"));  // until its follower reloads
  ASSERT_TRUE(node_b_->Reload());
  EXPECT_FALSE(Accepts(*node_b_, "AKIAalice"));
}

// The other node commits between this node's catch-up and its write: the conditional write is
// refused, and the mutation runs again on the reloaded state.
TEST_P(IdentityStoreNodes, AWriteThatLosesTheRaceRunsAgainOnTheWinnersState) {
  ASSERT_TRUE(AddUserWithKey(*node_a_, "alice"));
  int runs = 0;
  bool alice_seen_with_key_last = true;
  auto result = UpdateNow(*node_b_, [&](IdentityState& s) -> Result<void> {
    if (++runs == 1) {
      EXPECT_TRUE(UpdateNow(*node_a_, DeleteKeysOf("alice")));
    }
    alice_seen_with_key_last = !s.users.at(NameKey("alice"))->access_keys.empty();
    auto u = MakeUser("bob");
    s.users[NameKey("bob")] = u;
    return Ok();
  });
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(runs, 2);
  EXPECT_FALSE(alice_seen_with_key_last);
  EXPECT_FALSE(Accepts(*node_b_, "AKIAalice"));
  EXPECT_NE(node_b_->Current(kAccount)->FindUser("bob"), nullptr);
}

TEST_P(IdentityStoreNodes, AWriteThatKeepsLosingGivesUpWithServiceUnavailable) {
  int runs = 0;
  auto result = UpdateNow(*node_b_, [&](IdentityState& s) -> Result<void> {
    EXPECT_TRUE(AddUserWithKey(*node_a_, "u" + std::to_string(++runs)));
    s.users[NameKey("bob")] = MakeUser("bob");
    return Ok();
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kServiceUnavailable);
  EXPECT_EQ(runs, IdentityStore::kMaxWriteAttempts);
  EXPECT_EQ(node_b_->Current(kAccount)->FindUser("bob"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Stores, IdentityStoreNodes, ::testing::Values(false, true),
                         [](const auto& param) { return param.param ? "Sqlite" : "Memory"; });

}  // namespace
}  // namespace kura::iam
