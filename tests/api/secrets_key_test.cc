// DATA/secrets.key: created once (32 bytes, 0600), read back as is, refused when others may read it.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "api/root_credentials.h"

namespace kura::api {
namespace {
namespace fs = std::filesystem;

class SecretsKey : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "kura-secrets-key-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  SecureRandom random_;
};

TEST_F(SecretsKey, IsCreatedOnceAsThirtyTwoPrivateBytesAndReadBackTheSame) {
  auto created = LoadOrCreateSecretsKey(dir_, random_);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->Reveal().size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "secrets.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = LoadOrCreateSecretsKey(dir_, random_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->Reveal(), created->Reveal());
}

TEST_F(SecretsKey, RefusesAKeyFileOthersMayReadOrOfTheWrongSize) {
  ASSERT_TRUE(LoadOrCreateSecretsKey(dir_, random_));
  ASSERT_EQ(::chmod((dir_ / "secrets.key").c_str(), 0644), 0);
  EXPECT_FALSE(LoadOrCreateSecretsKey(dir_, random_));
  ASSERT_EQ(::chmod((dir_ / "secrets.key").c_str(), 0600), 0);
  std::ofstream(dir_ / "secrets.key", std::ios::trunc) << "short";
  auto short_key = LoadOrCreateSecretsKey(dir_, random_);
  ASSERT_FALSE(short_key);
  EXPECT_NE(short_key.error().message.find("32 bytes"), std::string::npos);
}

}  // namespace
}  // namespace kura::api
