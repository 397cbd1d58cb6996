// Two KeyRegistry instances over one metadata store stand for two nodes sharing it (issue #20):
// a key one node made must resolve on the other before that node's next configuration poll,
// because S3 makes alias/aws/s3 inside an object write that no configuration request waits for.
#include <gtest/gtest.h>

#include "kms/key_registry.h"
#include "tests/kms/kms_fixture.h"

namespace kura::kms {
namespace {

using testing::kAccount;
using testing::kRegion;

TEST(KeyRegistryNodes, AKeyMadeOnAnotherNodeResolvesAfterOneStoreReadWhenReloadingOnMiss) {
  testing::KmsFixture node_a;
  auto node_b = KeyRegistry::Open(node_a.metadata, *node_a.master, node_a.random, node_a.clock,
                                  kRegion);
  ASSERT_TRUE(node_b.has_value());
  KmsKey key = node_a.SavedKey();

  // Without it, B answers from what it loaded: the key does not exist there yet.
  auto stale = (*node_b)->Resolve(kAccount, key.Arn());
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kKmsNotFound);

  (*node_b)->ReloadOnMiss();
  auto found = (*node_b)->Resolve(kAccount, key.Arn());
  ASSERT_TRUE(found.has_value()) << found.error().message;
  EXPECT_EQ(found->key_id, key.key_id);
  // A key that exists nowhere is still missing, with KMS's error.
  auto missing = (*node_b)->Resolve(kAccount, "alias/nowhere");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kKmsNotFound);
}

}  // namespace
}  // namespace kura::kms
