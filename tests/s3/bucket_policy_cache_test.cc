#include "s3/bucket_policy_cache.h"

#include <gtest/gtest.h>

#include "common/limits.h"
#include "store/store.h"
#include "store/wait.h"

namespace kura::s3 {
namespace {

constexpr const char kPolicy[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})";

void SetPolicy(store::MetadataStore& meta, std::string json) {
  auto done = store::WaitFor<void>([&](store::Callback<void> cb) {
    meta.UpdateBucket("b", [json](store::BucketRecord& b) -> Result<void> {
      b.policy_json = json;
      return Ok();
    }, std::move(cb));
  });
  ASSERT_TRUE(done);
}

TEST(BucketPolicyCache, LoadsLazilyAndServesFromMemoryUntilInvalidated) {
  auto store = store::NewMemoryStore();
  store::BucketRecord bucket{.name = "b", .region = "us-east-1", .owner_id = "o"};
  ASSERT_TRUE(store::WaitFor<void>([&](store::Callback<void> cb) { store.metadata->CreateBucket(bucket, std::move(cb)); }));
  BucketPolicyCache cache(*store.metadata);
  EXPECT_EQ(cache.ForBucket("b"), nullptr);
  SetPolicy(*store.metadata, kPolicy);
  EXPECT_EQ(cache.ForBucket("b"), nullptr);  // cached "no policy" until invalidated
  cache.Invalidate("b");
  auto compiled = cache.ForBucket("b");
  ASSERT_NE(compiled, nullptr);
  EXPECT_EQ(compiled->policy_id(), "arn:aws:s3:::b");
  EXPECT_EQ(cache.ForBucket("b"), compiled);  // the same snapshot
  SetPolicy(*store.metadata, "");
  cache.Invalidate("b");
  EXPECT_EQ(cache.ForBucket("b"), nullptr);
  EXPECT_EQ(cache.ForBucket("missing"), nullptr);
}

// Bucket names come from anonymous clients: a flood of made-up names must not grow the cache.
TEST(BucketPolicyCache, RemembersOnlyBucketsThatExist) {
  auto store = store::NewMemoryStore();
  store::BucketRecord bucket{.name = "b", .region = "us-east-1", .owner_id = "o"};
  ASSERT_TRUE(store::WaitFor<void>([&](store::Callback<void> cb) { store.metadata->CreateBucket(bucket, std::move(cb)); }));
  BucketPolicyCache cache(*store.metadata);
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(cache.ForBucket("no-such-bucket-" + std::to_string(i)), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.ForBucket("b"), nullptr);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(BucketPolicyCache, StaysWithinItsCapacity) {
  auto store = store::NewMemoryStore();
  BucketPolicyCache cache(*store.metadata);
  const size_t buckets = limits::kMaxCachedBucketPolicies + 50;
  for (size_t i = 0; i < buckets; ++i) {
    store::BucketRecord bucket{.name = "b" + std::to_string(i), .region = "us-east-1", .owner_id = "o"};
    ASSERT_TRUE(store::WaitFor<void>([&](store::Callback<void> cb) { store.metadata->CreateBucket(bucket, std::move(cb)); }));
    cache.ForBucket(bucket.name);
  }
  EXPECT_EQ(cache.size(), limits::kMaxCachedBucketPolicies);
}

}  // namespace
}  // namespace kura::s3
