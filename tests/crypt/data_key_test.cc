#include "crypt/data_key.h"

#include <gtest/gtest.h>

#include "crypt/encrypted_blob.h"

namespace kura::crypt {
namespace {

TEST(DataKey, IsFreshAndFullLength) {
  FakeRandom random(7);
  Secret a = NewDataKey(random);
  Secret b = NewDataKey(random);
  EXPECT_EQ(a.Reveal().size(), kDataKeyBytes);
  EXPECT_NE(a.Reveal(), b.Reveal());
}

TEST(DataKey, OpensOnlyUnderTheCustomerKeyItWasSealedUnder) {
  FakeRandom random(7);
  Secret data_key = NewDataKey(random);
  Secret customer(std::string(32, 'c'));
  std::string sealed = SealUnderCustomerKey(data_key, customer, random);
  EXPECT_EQ(sealed.find(data_key.Reveal()), std::string::npos);
  EXPECT_LE(sealed.size(), kMaxSealedKeyBytes);
  auto opened = OpenUnderCustomerKey(sealed, customer);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->Reveal(), data_key.Reveal());
  auto wrong = OpenUnderCustomerKey(sealed, Secret(std::string(32, 'd')));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kAccessDenied);
  EXPECT_FALSE(OpenUnderCustomerKey(sealed.substr(1), customer));
}

}  // namespace
}  // namespace kura::crypt
