#include "kms/master_seal.h"

#include <gtest/gtest.h>

namespace kura::kms {
namespace {

const TimePoint kNow = FromUnixSeconds(1'700'000'000);

KeySet Ring(Random& random, std::initializer_list<uint32_t> ids) {
  KeySet keys;
  for (uint32_t id : ids) keys.keys.push_back(NewRingKey(random, id, kNow));
  for (size_t i = 1; i < keys.keys.size(); ++i) keys.keys[i].retired_at = kNow;
  return keys;
}

TEST(MasterSeal, OpensWhatItSealedAndNamesTheSealingKey) {
  FakeRandom random(1);
  KeySet keys = Ring(random, {7});
  std::string sealed = SealUnderMaster(keys, random, "data key bytes", "purpose");
  EXPECT_EQ(sealed.find("data key bytes"), std::string::npos);
  EXPECT_EQ(sealed.substr(0, 6), std::string("k\x01\0\0\0\x07", 6));
  auto opened = OpenUnderMaster(keys, sealed, "purpose");
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  EXPECT_EQ(opened->Reveal(), "data key bytes");
}

TEST(MasterSeal, DrawsAFreshNonceEachTime) {
  FakeRandom random(1);
  KeySet keys = Ring(random, {1});
  EXPECT_NE(SealUnderMaster(keys, random, "k", "p"), SealUnderMaster(keys, random, "k", "p"));
}

TEST(MasterSeal, OpensWithARetiredKeyAfterRotation) {
  FakeRandom random(1);
  KeySet old_keys = Ring(random, {1});
  std::string sealed = SealUnderMaster(old_keys, random, "secret", "p");
  KeySet rotated;
  rotated.keys.push_back(NewRingKey(random, 2, kNow));
  rotated.keys.push_back(old_keys.keys[0]);
  rotated.keys[1].retired_at = kNow;
  auto opened = OpenUnderMaster(rotated, sealed, "p");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->Reveal(), "secret");
  EXPECT_EQ(SealUnderMaster(rotated, random, "x", "p")[5], '\x02');
}

TEST(MasterSeal, RefusesAnotherPurposeAMissingKeyAndAnyFlippedByte) {
  FakeRandom random(1);
  KeySet keys = Ring(random, {1});
  std::string sealed = SealUnderMaster(keys, random, "secret", "p");
  EXPECT_FALSE(OpenUnderMaster(keys, sealed, "q").has_value());
  EXPECT_FALSE(OpenUnderMaster(Ring(random, {2}), sealed, "p").has_value());
  EXPECT_FALSE(OpenUnderMaster(keys, sealed.substr(0, 20), "p").has_value());
  EXPECT_FALSE(OpenUnderMaster(keys, "", "p").has_value());
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string flipped = sealed;
    flipped[i] ^= 0x01;
    auto opened = OpenUnderMaster(keys, flipped, "p");
    ASSERT_FALSE(opened.has_value()) << i;
    EXPECT_EQ(opened.error().code, ErrorCode::kInternalError);
  }
}

}  // namespace
}  // namespace kura::kms
