// The access keys' last uses (store/key_usage_log.h), run against every metadata store: a flush
// keeps each key's latest use, never an earlier one, survives reopening where the store is
// durable, and is no configuration change (nodes would otherwise reload at every flush).
#include <gtest/gtest.h>

#include "contract_fixture.h"
#include "store/key_usage_log.h"

namespace kura::store {
namespace {

template <typename Impl>
class KeyUsageLogContract : public StoreContract<Impl> {
 protected:
  // Every store is also a key usage log.
  KeyUsageLog& log() { return dynamic_cast<KeyUsageLog&>(this->meta()); }
  std::optional<KeyUse> Last(std::string_view id) {
    auto last = log().LastKeyUse(id);
    EXPECT_TRUE(last) << last.error().message;
    return last ? *last : std::nullopt;
  }
};

// The metadata engines (the blob store plays no part).
using MetadataImplementations = ::testing::Types<MemoryImpl, SqliteImpl, PostgresImpl>;
TYPED_TEST_SUITE(KeyUsageLogContract, MetadataImplementations, ImplNames);

TYPED_TEST(KeyUsageLogContract, AKeyNeverUsedHasNoUse) {
  EXPECT_EQ(this->Last("AKIANEVERUSED0000000"), std::nullopt);
  ASSERT_TRUE(this->log().RecordKeyUses({}));
  EXPECT_EQ(this->Last("AKIANEVERUSED0000000"), std::nullopt);
}

TYPED_TEST(KeyUsageLogContract, KeepsEachKeysLatestUseWithItsServiceAndRegion) {
  ASSERT_TRUE(this->log().RecordKeyUses({{"AKIAONE", 1000, "s3", "eu-west-1"},
                                         {"AKIATWO", 2000, "iam", "us-east-1"}}));
  EXPECT_EQ(this->Last("AKIAONE"), (KeyUse{"AKIAONE", 1000, "s3", "eu-west-1"}));
  EXPECT_EQ(this->Last("AKIATWO"), (KeyUse{"AKIATWO", 2000, "iam", "us-east-1"}));
  ASSERT_TRUE(this->log().RecordKeyUses({{"AKIAONE", 5000, "sts", "eu-west-1"}}));
  EXPECT_EQ(this->Last("AKIAONE"), (KeyUse{"AKIAONE", 5000, "sts", "eu-west-1"}));
  EXPECT_EQ(this->Last("AKIATWO")->used_at_ms, 2000) << "other keys untouched";
}

TYPED_TEST(KeyUsageLogContract, AnEarlierUseNeverReplacesALaterOne) {
  // Another node flushing late: its older use must not move the key back in time.
  ASSERT_TRUE(this->log().RecordKeyUses({{"AKIAKEY", 9000, "s3", "r"}}));
  ASSERT_TRUE(this->log().RecordKeyUses({{"AKIAKEY", 4000, "iam", "r"}}));
  EXPECT_EQ(this->Last("AKIAKEY"), (KeyUse{"AKIAKEY", 9000, "s3", "r"}));
  // Within one batch too (a key named twice).
  ASSERT_TRUE(this->log().RecordKeyUses({{"AKIAKEY", 12000, "sts", "r"},
                                         {"AKIAKEY", 11000, "iam", "r"}}));
  EXPECT_EQ(this->Last("AKIAKEY"), (KeyUse{"AKIAKEY", 12000, "sts", "r"}));
}

TYPED_TEST(KeyUsageLogContract, UsesAreNoConfigurationChange) {
  auto before = this->meta().ConfigGeneration();
  ASSERT_TRUE(before);
  ASSERT_TRUE(this->log().RecordKeyUses({{"AKIAKEY", 1, "s3", "r"}}));
  EXPECT_EQ(*this->meta().ConfigGeneration(), *before);
}

TYPED_TEST(KeyUsageLogContract, ABatchOfManyKeysIsKept) {
  std::vector<KeyUse> uses;
  for (int i = 0; i < 2500; ++i) {  // more than one PostgreSQL statement's worth
    uses.push_back({"AKIA" + std::to_string(100000 + i), 1000 + i, "s3", "r"});
  }
  ASSERT_TRUE(this->log().RecordKeyUses(uses));
  EXPECT_EQ(this->Last("AKIA100000")->used_at_ms, 1000);
  EXPECT_EQ(this->Last("AKIA102499")->used_at_ms, 3499);
}

}  // namespace
}  // namespace kura::store
