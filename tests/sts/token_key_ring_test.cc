#include "sts/token_key_ring.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "sts/session_token.h"
#include "tests/sts/test_claims.h"

namespace kura::sts {
namespace {

using testing::TestEpoch;

class TokenKeyRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "kura-sts-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ / "session-token-keys";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<TokenKeyRing> OpenRing() {
    auto ring = TokenKeyRing::OpenOrCreate(path_, kTokenKeys, random_, TestEpoch());
    EXPECT_TRUE(ring.has_value()) << ring.error().message;
    return ring.has_value() ? std::move(ring).value() : nullptr;
  }
  mode_t FileMode() {
    struct stat st {};
    EXPECT_EQ(::stat(path_.c_str(), &st), 0);
    return st.st_mode & 0777;
  }

  FakeRandom random_{5};
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

TEST_F(TokenKeyRingTest, CreatesAKeyFileWithMode0600OnFirstStart) {
  auto ring = OpenRing();
  ASSERT_NE(ring, nullptr);
  EXPECT_EQ(FileMode(), 0600u);
  auto keys = ring->Snapshot();
  ASSERT_EQ(keys->keys.size(), 1u);
  EXPECT_EQ(keys->Active().id, 1u);
  EXPECT_EQ(keys->Active().material.Reveal().size(), kTokenKeyBytes);
  auto files = std::distance(std::filesystem::directory_iterator(dir_), {});
  EXPECT_EQ(files, 1) << "no temp file left behind";
}

TEST_F(TokenKeyRingTest, ReloadsTheSameKeysSoTokensSurviveARestart) {
  auto first = OpenRing();
  auto first_codec = std::move(TokenCodec::Create(*first, random_)).value();
  std::string token = *first_codec->Seal(testing::TypicalAssumedRoleClaims());

  auto second = OpenRing();
  auto second_codec = std::move(TokenCodec::Create(*second, random_)).value();
  EXPECT_EQ(second->Snapshot()->Active().material.Reveal(),
            first->Snapshot()->Active().material.Reveal());
  EXPECT_TRUE(second_codec->Open(token).has_value());
}

TEST_F(TokenKeyRingTest, RotationAndPrunePersist) {
  auto ring = OpenRing();
  ASSERT_TRUE(ring->Rotate(TestEpoch() + std::chrono::hours(1)));
  ASSERT_TRUE(ring->Rotate(TestEpoch() + std::chrono::hours(2)));
  EXPECT_EQ(FileMode(), 0600u);
  auto reopened = OpenRing()->Snapshot();
  ASSERT_EQ(reopened->keys.size(), 3u);
  EXPECT_EQ(reopened->Active().id, 3u);
  EXPECT_EQ(reopened->keys[1].retired_at, TestEpoch() + std::chrono::hours(2));
  EXPECT_EQ(reopened->keys[2].retired_at, TestEpoch() + std::chrono::hours(1));

  ASSERT_TRUE(ring->Prune(TestEpoch() + std::chrono::hours(1) + kTokenKeyRetention));
  auto pruned = OpenRing()->Snapshot();
  ASSERT_EQ(pruned->keys.size(), 2u);
  EXPECT_EQ(pruned->Find(1), nullptr);
  EXPECT_NE(pruned->Find(2), nullptr);
}

TEST_F(TokenKeyRingTest, PruneNeverDropsTheActiveKey) {
  auto ring = OpenRing();
  ASSERT_TRUE(ring->Prune(TestEpoch() + std::chrono::hours(24 * 365)));
  EXPECT_EQ(ring->Snapshot()->keys.size(), 1u);
}

TEST_F(TokenKeyRingTest, ReloadPicksUpAnotherNodesRotation) {
  auto node_a = OpenRing();
  auto node_b = OpenRing();
  ASSERT_TRUE(node_a->Rotate(TestEpoch()));
  EXPECT_EQ(node_b->Snapshot()->Active().id, 1u);
  ASSERT_TRUE(node_b->Reload());
  EXPECT_EQ(node_b->Snapshot()->Active().id, 2u);
}

TEST_F(TokenKeyRingTest, RotationBuildsOnAnotherNodesRotation) {
  auto node_a = OpenRing();
  auto node_b = OpenRing();
  ASSERT_TRUE(node_a->Rotate(TestEpoch()));
  ASSERT_TRUE(node_b->Rotate(TestEpoch() + std::chrono::hours(1)));
  auto keys = node_b->Snapshot();
  ASSERT_EQ(keys->keys.size(), 3u);
  EXPECT_EQ(keys->Active().id, 3u);
  EXPECT_EQ(keys->Find(2)->material.Reveal(), node_a->Snapshot()->Active().material.Reveal());
}

TEST_F(TokenKeyRingTest, RefusesAKeyFileOthersCanRead) {
  OpenRing();
  ASSERT_EQ(::chmod(path_.c_str(), 0644), 0);
  auto ring = TokenKeyRing::OpenOrCreate(path_, kTokenKeys, random_, TestEpoch());
  ASSERT_FALSE(ring.has_value());
  EXPECT_NE(ring.error().message.find("chmod 600"), std::string::npos);
}

TEST_F(TokenKeyRingTest, RefusesAMalformedKeyFileInsteadOfReplacingIt) {
  {
    std::ofstream out(path_);
    out << "kura-session-token-keys 1\nkey 1 0 - short\n";
  }
  ASSERT_EQ(::chmod(path_.c_str(), 0600), 0);
  EXPECT_FALSE(TokenKeyRing::OpenOrCreate(path_, kTokenKeys, random_, TestEpoch()).has_value());
  EXPECT_TRUE(std::filesystem::exists(path_));
}

TEST_F(TokenKeyRingTest, AFailedRotationChangesNothing) {
  auto ring = OpenRing();
  std::filesystem::remove_all(dir_);  // the next write cannot create its temp file
  EXPECT_FALSE(ring->Rotate(TestEpoch()));
  EXPECT_EQ(ring->Snapshot()->keys.size(), 1u);
  EXPECT_EQ(ring->Snapshot()->Active().id, 1u);
}

TEST(TokenKeyRingInMemory, RotatesWithoutAFile) {
  FakeRandom random(1);
  auto ring = testing::TestRing(random);
  ASSERT_TRUE(ring->Rotate(TestEpoch()));
  ASSERT_TRUE(ring->Reload());
  EXPECT_EQ(ring->Snapshot()->Active().id, 2u);
  EXPECT_EQ(ring->Snapshot()->keys.size(), 2u);
}

TEST(TokenKeyRingInMemory, ARotationWithALeadTimeDatesTheNewKeyAndRetiresTheOldOneThen) {
  FakeRandom random(1);
  auto ring = testing::TestRing(random);
  ASSERT_TRUE(ring->Rotate(TestEpoch(), std::chrono::seconds(10)));
  auto keys = ring->Snapshot();
  EXPECT_EQ(keys->Active().id, 2u);
  EXPECT_EQ(keys->Active().created_at, TestEpoch() + std::chrono::seconds(10));
  EXPECT_EQ(keys->keys[1].retired_at, TestEpoch() + std::chrono::seconds(10));
  EXPECT_EQ(keys->SealingKeyAt(TestEpoch() + std::chrono::seconds(9)).id, 1u);
  EXPECT_EQ(keys->SealingKeyAt(TestEpoch() + std::chrono::seconds(10)).id, 2u);
}

// A compare-and-set storage that another node writes to just before each of this node's first
// `losses` writes, as a shared metadata store does when nodes race (node/document_key_ring.h).
class RacedStorage final : public KeyRingStorage {
 public:
  RacedStorage(Random& random, int losses) : random_(random), losses_(losses) {}
  Result<StoredKeySet> Load() override {
    if (!stored_) return MakeError(ErrorCode::kNoSuchEntity, "none yet");
    return *stored_;
  }
  Result<bool> Replace(const StoredKeySet* base, const KeySet& next) override {
    if (losses_ > 0) {
      --losses_;
      OtherNodeWrites();
    }
    std::string expected = base == nullptr ? "" : base->revision;
    std::string current = stored_ ? stored_->revision : "";
    if (expected != current) return false;
    stored_ = StoredKeySet{next, std::to_string(++revisions_)};
    return true;
  }
  std::string Revision() const override { return stored_ ? stored_->revision : ""; }
  const KeySet& keys() const { return stored_->keys; }
  void LoseNext(int writes) { losses_ = writes; }

 private:
  void OtherNodeWrites() {
    KeySet theirs = stored_ ? stored_->keys : KeySet{};
    uint32_t id = theirs.keys.empty() ? 1 : theirs.keys.front().id + 1;
    if (!theirs.keys.empty()) theirs.keys.front().retired_at = TestEpoch();
    theirs.keys.insert(theirs.keys.begin(), NewTokenKey(random_, id, TestEpoch()));
    stored_ = StoredKeySet{std::move(theirs), std::to_string(++revisions_)};
  }

  Random& random_;
  int losses_;
  int revisions_ = 0;
  std::optional<StoredKeySet> stored_;
};

TEST(TokenKeyRingOverSharedStorage, ANodeThatLosesTheCreateRaceAdoptsTheWinnersKeys) {
  FakeRandom random(3);
  auto storage = std::make_unique<RacedStorage>(random, 1);
  RacedStorage* shared = storage.get();
  auto ring = TokenKeyRing::OpenOrCreate(std::move(storage), kTokenKeys, random, TestEpoch());
  ASSERT_TRUE(ring) << ring.error().message;
  ASSERT_EQ((*ring)->Snapshot()->keys.size(), 1u);
  EXPECT_EQ((*ring)->Snapshot()->Active().material.Reveal(),
            shared->keys().Active().material.Reveal());
}

TEST(TokenKeyRingOverSharedStorage, ARotationThatLosesARaceBuildsOnTheOtherRotation) {
  FakeRandom random(4);
  auto storage = std::make_unique<RacedStorage>(random, 0);
  RacedStorage* shared = storage.get();
  auto ring = std::move(TokenKeyRing::OpenOrCreate(std::move(storage), kTokenKeys, random,
                                                   TestEpoch()))
                  .value();
  shared->LoseNext(1);  // another node rotates between this node's read and write
  ASSERT_TRUE(ring->Rotate(TestEpoch() + std::chrono::hours(1)).has_value());
  EXPECT_EQ(ring->Snapshot()->Active().id, 3u) << "key 2 is the other node's, kept";
  EXPECT_EQ(shared->keys().keys.size(), 3u);
  EXPECT_EQ(shared->keys().Find(2)->retired_at, TestEpoch() + std::chrono::hours(1));
  EXPECT_EQ(ring->Snapshot()->Active().material.Reveal(),
            shared->keys().Active().material.Reveal());
}

}  // namespace
}  // namespace kura::sts
