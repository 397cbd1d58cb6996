#include "common/ids.h"

#include <gtest/gtest.h>

namespace kura {
namespace {

TEST(Ids, HaveAwsShapes) {
  FakeRandom random(1);
  std::string key = NewId(random, IdPrefix::kAccessKey);
  EXPECT_EQ(key.size(), 20u);
  EXPECT_EQ(key.substr(0, 4), "AKIA");
  EXPECT_EQ(NewId(random, IdPrefix::kTemporaryAccessKey).substr(0, 4), "ASIA");
  EXPECT_EQ(NewSecretKey(random).size(), 40u);
  std::string account = NewAccountId(random);
  EXPECT_EQ(account.size(), 12u);
  EXPECT_NE(account[0], '0');
  EXPECT_NE(NewId(random, IdPrefix::kUser), NewId(random, IdPrefix::kUser));
}

}  // namespace
}  // namespace kura
