// DataDirNodeState: the data dir's files, read and written as a single kura always has.
#include "node/data_dir_node_state.h"

#include <gtest/gtest.h>

#include "common/key_ring_file.h"
#include "sts/key_ring_watcher.h"
#include "sts/token_key_ring.h"
#include "tests/node/node_test_support.h"

namespace kura::node {
namespace {

using testing::ReadWhole;
using testing::WriteWhole;

class DataDirNodeStateTest : public ::testing::Test {
 protected:
  testing::ClearedRootEnvironment no_root_env_;
  testing::TempDir dir_;
  SecureRandom random_;
  DataDirNodeState state_{dir_.path(), random_};
};

TEST_F(DataDirNodeStateTest, ReadsAnExistingDataDirAndLeavesItsFilesAsTheyWere) {
  WriteWhole(dir_.path() / "account-id", "123456789012\n");
  WriteWhole(dir_.path() / "root-credentials",
             "AKIAEXISTINGROOTKEY1\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
  KeySet keys;
  keys.keys.push_back(NewRingKey(random_, 7, FromUnixSeconds(1700000000)));
  ASSERT_TRUE(WriteKeyFile(sts::kTokenKeys, dir_.path() / "sts-keys", keys));
  std::string ring_file = ReadWhole(dir_.path() / "sts-keys");

  EXPECT_EQ(*state_.LoadOrCreateAccountId(), "123456789012");
  auto root = state_.LoadOrCreateRootCredentials();
  ASSERT_TRUE(root) << root.error().message;
  EXPECT_EQ(root->access_key_id, "AKIAEXISTINGROOTKEY1");
  EXPECT_EQ(root->secret_key.Reveal(), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  EXPECT_FALSE(root->newly_created);
  auto ring = state_.OpenTokenKeyRing(FromUnixSeconds(1800000000));
  ASSERT_TRUE(ring) << ring.error().message;
  EXPECT_EQ((*ring)->Snapshot()->Active().id, 7u);
  EXPECT_EQ((*ring)->Snapshot()->Active().material.Reveal(), keys.Active().material.Reveal());

  EXPECT_EQ(ReadWhole(dir_.path() / "account-id"), "123456789012\n");
  EXPECT_EQ(ReadWhole(dir_.path() / "sts-keys"), ring_file);
}

TEST_F(DataDirNodeStateTest, CreatesTheFilesOfOldAtFirstStart) {
  auto id = state_.LoadOrCreateAccountId();
  ASSERT_TRUE(id);
  EXPECT_EQ(ReadWhole(dir_.path() / "account-id"), *id + "\n");
  auto root = state_.LoadOrCreateRootCredentials();
  ASSERT_TRUE(root);
  EXPECT_TRUE(root->newly_created);
  EXPECT_EQ(ReadWhole(dir_.path() / "root-credentials"),
            root->access_key_id + "\n" + std::string(root->secret_key.Reveal()) + "\n");
  ASSERT_TRUE(state_.OpenTokenKeyRing(FromUnixSeconds(1700000000)));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "sts-keys"));
  EXPECT_EQ(state_.RootCredentialsPlace(),
            (dir_.path() / "root-credentials").string() + ", mode 0600");
  EXPECT_EQ(state_.TokenKeysPlace(), (dir_.path() / "sts-keys").string());

  DataDirNodeState again(dir_.path(), random_);
  EXPECT_EQ(*again.LoadOrCreateAccountId(), *id);
  EXPECT_FALSE(again.LoadOrCreateRootCredentials()->newly_created);
}

TEST_F(DataDirNodeStateTest, ARotationInTheFileReachesAWatchingServer) {
  auto serving = state_.OpenTokenKeyRing(FromUnixSeconds(1700000000));
  ASSERT_TRUE(serving);
  sts::KeyRingWatcher watcher(**serving);
  EXPECT_FALSE(*watcher.Poll());
  auto admin = DataDirNodeState(dir_.path(), random_).OpenTokenKeyRing(FromUnixSeconds(1700000100));
  ASSERT_TRUE(admin);
  ASSERT_TRUE((*admin)->Rotate(FromUnixSeconds(1700000100)));
  EXPECT_TRUE(*watcher.Poll());
  EXPECT_EQ((*serving)->Snapshot()->Active().id, 2u);
}

TEST_F(DataDirNodeStateTest, MemberAccountCredentialsGoToTheirFile) {
  ASSERT_TRUE(state_.AccountCredentials().Write("210987654321", "AKIAMEMBERACCOUNT001",
                                                Secret("member-secret")));
  auto read = ReadAccountCredentials(AccountCredentialsFile(dir_.path(), "210987654321"));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->access_key_id, "AKIAMEMBERACCOUNT001");
  EXPECT_EQ(read->secret_key.Reveal(), "member-secret");
}

}  // namespace
}  // namespace kura::node
