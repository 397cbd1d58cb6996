#include "s3/bucket_policy_cache.h"

#include <gtest/gtest.h>

#include "store/store.h"
#include "store/wait.h"

namespace kura::s3 {
namespace {

constexpr const char kPolicy[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})";

void CreateBucket(store::MetadataStore& meta, std::string name) {
  store::BucketRecord bucket{.name = std::move(name), .region = "us-east-1", .owner_id = "o"};
  ASSERT_TRUE(store::WaitFor<void>([&](store::Callback<void> cb) { meta.CreateBucket(bucket, std::move(cb)); }));
}

void SetPolicy(store::MetadataStore& meta, std::string json) {
  auto done = store::WaitFor<void>([&](store::Callback<void> cb) {
    meta.UpdateBucket("b", [json](store::BucketRecord& b) -> Result<void> {
      b.policy_json = json;
      return Ok();
    }, std::move(cb));
  });
  ASSERT_TRUE(done);
}

// Load reads the store once; ForBucket only looks up what Load and Refresh compiled.
TEST(BucketPolicyCache, LoadCompilesEveryStoredPolicyAndLookupsReadNothing) {
  auto store = store::NewMemoryStore();
  CreateBucket(*store.metadata, "b");
  CreateBucket(*store.metadata, "plain");
  SetPolicy(*store.metadata, kPolicy);
  BucketPolicyCache cache(*store.metadata);
  EXPECT_EQ(cache.ForBucket("b").policy, nullptr);  // nothing before Load: lookups never read the store
  ASSERT_TRUE(cache.Load());
  auto compiled = cache.ForBucket("b").policy;
  ASSERT_NE(compiled, nullptr);
  EXPECT_EQ(compiled->policy_id(), "arn:aws:s3:::b");
  EXPECT_EQ(cache.ForBucket("b").policy, compiled);  // the same compiled policy, not a new parse
  EXPECT_EQ(cache.ForBucket("plain").policy, nullptr);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(BucketPolicyCache, RefreshFollowsTheStoredRecord) {
  auto store = store::NewMemoryStore();
  CreateBucket(*store.metadata, "b");
  BucketPolicyCache cache(*store.metadata);
  ASSERT_TRUE(cache.Load());
  SetPolicy(*store.metadata, kPolicy);
  EXPECT_EQ(cache.ForBucket("b").policy, nullptr);  // until the writer refreshes it
  cache.Refresh("b");
  EXPECT_NE(cache.ForBucket("b").policy, nullptr);
  SetPolicy(*store.metadata, "");
  cache.Refresh("b");
  EXPECT_EQ(cache.ForBucket("b").policy, nullptr);
  SetPolicy(*store.metadata, kPolicy);
  cache.Refresh("b");
  auto deleted = store::WaitFor<std::vector<store::BlobRef>>(
      [&](store::Callback<std::vector<store::BlobRef>> cb) { store.metadata->DeleteBucket("b", std::move(cb)); });
  ASSERT_TRUE(deleted);
  cache.Refresh("b");
  EXPECT_EQ(cache.ForBucket("b").policy, nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

// Bucket names come from anonymous clients: a flood of made-up names must not grow the cache.
TEST(BucketPolicyCache, MadeUpBucketNamesCostNothing) {
  auto store = store::NewMemoryStore();
  CreateBucket(*store.metadata, "b");
  SetPolicy(*store.metadata, kPolicy);
  BucketPolicyCache cache(*store.metadata);
  ASSERT_TRUE(cache.Load());
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(cache.ForBucket("no-such-bucket-" + std::to_string(i)).policy, nullptr);
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace kura::s3
