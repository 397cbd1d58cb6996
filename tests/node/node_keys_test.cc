// The keys a node never keeps in the metadata store: made in the data dir by a single node,
// required from the operator's files by nodes sharing a store.
#include "node/node_keys.h"

#include <gtest/gtest.h>

#include "tests/node/node_test_support.h"

namespace kura::node {
namespace {

using testing::WriteWhole;

class NodeKeysTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  SecureRandom random_;
};

TEST_F(NodeKeysTest, ASingleNodeMakesItsSecretsKeyInTheDataDir) {
  auto key = OpenSecretsKey(NodeStateHome::kDataDir, dir_.path(), "", random_);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->Reveal().size(), 32u);
  EXPECT_EQ(testing::ReadWhole(dir_.path() / "secrets.key"), key->Reveal());
  auto again = OpenSecretsKey(NodeStateHome::kDataDir, dir_.path(), "", random_);
  EXPECT_EQ(again->Reveal(), key->Reveal());
}

TEST_F(NodeKeysTest, ASingleNodeHonoursASecretsKeyFileElsewhere) {
  std::string file = (dir_.path() / "elsewhere.key").string();
  auto key = OpenSecretsKey(NodeStateHome::kDataDir, dir_.path(), file, random_);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_TRUE(std::filesystem::exists(file));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "secrets.key"));
}

TEST_F(NodeKeysTest, ASharedNodeRefusesToStartWithoutTheOperatorsSecretsKeyFile) {
  auto unnamed = OpenSecretsKey(NodeStateHome::kMetadataStore, dir_.path(), "", random_);
  ASSERT_FALSE(unnamed);
  EXPECT_EQ(unnamed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(unnamed.error().message.find("--secrets-key-file"), std::string::npos);
  std::string missing = (dir_.path() / "missing.key").string();
  auto absent = OpenSecretsKey(NodeStateHome::kMetadataStore, dir_.path(), missing, random_);
  ASSERT_FALSE(absent);
  EXPECT_NE(absent.error().message.find("does not exist"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(missing)) << "a shared node never makes its own key";
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "secrets.key"));
}

TEST_F(NodeKeysTest, ASharedNodeReadsTheOperatorsSecretsKeyFile) {
  std::string file = (dir_.path() / "shared.key").string();
  WriteWhole(file, std::string(32, 's'));
  auto key = OpenSecretsKey(NodeStateHome::kMetadataStore, dir_.path(), file, random_);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->Reveal(), std::string(32, 's'));
  WriteWhole(file, "short");
  EXPECT_FALSE(OpenSecretsKey(NodeStateHome::kMetadataStore, dir_.path(), file, random_));
}

TEST_F(NodeKeysTest, ASharedNodeNeedsAMasterKeyFromTheOperator) {
  EXPECT_TRUE(CheckMasterKeySource(NodeStateHome::kDataDir, "", ""));
  auto none = CheckMasterKeySource(NodeStateHome::kMetadataStore, "", "");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("--master-key-file or KURA_MASTER_KEY"), std::string::npos);
  std::string file = (dir_.path() / "master.keys").string();
  auto missing = CheckMasterKeySource(NodeStateHome::kMetadataStore, file, "");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
  WriteWhole(file, "kura-master-keys 1\n");
  EXPECT_TRUE(CheckMasterKeySource(NodeStateHome::kMetadataStore, file, ""));
  EXPECT_TRUE(CheckMasterKeySource(NodeStateHome::kMetadataStore, "", std::string(64, 'a')));
}

}  // namespace
}  // namespace kura::node
