#include "kms/master_key_ring.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>

#include "common/key_ring_file.h"

namespace kura::kms {
namespace {

const TimePoint kNow = FromUnixSeconds(1'700'000'000);
constexpr char kHexKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

class MasterKeyRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "kura-kms-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path File() const { return MasterKeyFile(dir_, ""); }
  mode_t ModeOf(const std::filesystem::path& path) const {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 0777;
  }

  FakeRandom random_{11};
  std::filesystem::path dir_;
};

TEST_F(MasterKeyRingTest, DefaultsToKmsMasterKeysInTheDataDirAndHonoursTheFlag) {
  EXPECT_EQ(MasterKeyFile("/data", ""), std::filesystem::path("/data/kms/master.keys"));
  EXPECT_EQ(MasterKeyFile("/data", "/etc/kura/master.keys"),
            std::filesystem::path("/etc/kura/master.keys"));
}

TEST_F(MasterKeyRingTest, CreatesTheFile0600InA0700DirectoryOnFirstStart) {
  auto ring = OpenMasterKeyRing({File(), ""}, random_, kNow);
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ModeOf(File()), 0600u);
  EXPECT_EQ(ModeOf(File().parent_path()), 0700u);
  EXPECT_EQ((*ring)->Snapshot()->keys.size(), 1u);

  auto again = OpenMasterKeyRing({File(), ""}, random_, kNow);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ((*again)->Snapshot()->Active().material.Reveal(),
            (*ring)->Snapshot()->Active().material.Reveal());
}

TEST_F(MasterKeyRingTest, RotationKeepsEveryOldKeyForEver) {
  ASSERT_TRUE(OpenMasterKeyRing({File(), ""}, random_, kNow).has_value());
  auto second = RotateMasterKey({File(), ""}, random_, kNow);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(*second, 2u);
  ASSERT_TRUE(RotateMasterKey({File(), ""}, random_, kNow).has_value());

  auto ring = OpenMasterKeyRing({File(), ""}, random_, kNow);
  ASSERT_TRUE(ring.has_value());
  ASSERT_TRUE((*ring)->Prune(kNow + std::chrono::hours(24 * 365 * 10)).has_value());
  auto keys = (*ring)->Snapshot();
  EXPECT_EQ(keys->Active().id, 3u);
  EXPECT_EQ(keys->keys.size(), 3u);
  EXPECT_EQ(ModeOf(File()), 0600u);
}

TEST_F(MasterKeyRingTest, TakesOneKeyFromTheEnvironmentAndWritesNoFile) {
  auto ring = OpenMasterKeyRing({File(), kHexKey}, random_, kNow);
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  auto keys = (*ring)->Snapshot();
  EXPECT_EQ(keys->Active().id, kEnvMasterKeyId);
  EXPECT_EQ(keys->Active().material.Reveal().size(), kRingKeyBytes);
  EXPECT_EQ(static_cast<uint8_t>(keys->Active().material.Reveal()[31]), 0x1f);
  EXPECT_FALSE(std::filesystem::exists(File()));
}

TEST_F(MasterKeyRingTest, RefusesAMalformedEnvironmentKeyWithoutEchoingIt) {
  for (std::string bad : {std::string("abc"), std::string(kHexKey) + "00",
                          std::string(kHexKey).replace(0, 2, "zz")}) {
    auto ring = OpenMasterKeyRing({File(), bad}, random_, kNow);
    ASSERT_FALSE(ring.has_value()) << bad;
    EXPECT_EQ(ring.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(ring.error().message.find(bad), std::string::npos);
  }
}

TEST_F(MasterKeyRingTest, RefusesToRotateAnEnvironmentKey) {
  auto rotated = RotateMasterKey({File(), kHexKey}, random_, kNow);
  ASSERT_FALSE(rotated.has_value());
  EXPECT_NE(rotated.error().message.find(kMasterKeyEnv), std::string::npos);
  EXPECT_EQ(rotated.error().message.find(kHexKey), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(File()));
}

TEST_F(MasterKeyRingTest, RefusesAFileOthersCanReadAndASessionTokenKeyFile) {
  ASSERT_TRUE(OpenMasterKeyRing({File(), ""}, random_, kNow).has_value());
  ::chmod(File().c_str(), 0644);
  EXPECT_FALSE(OpenMasterKeyRing({File(), ""}, random_, kNow).has_value());

  KeyRingKind token_keys{"kura-session-token-keys 1", "session token key file", std::nullopt};
  KeySet keys;
  keys.keys.push_back(NewRingKey(random_, 1, kNow));
  ASSERT_TRUE(WriteKeyFile(token_keys, File(), keys).has_value());
  auto ring = OpenMasterKeyRing({File(), ""}, random_, kNow);
  ASSERT_FALSE(ring.has_value());
  EXPECT_NE(ring.error().message.find("unknown header"), std::string::npos);
}

}  // namespace
}  // namespace kura::kms
