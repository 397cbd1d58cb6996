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

// Every bucket's owner account is held (the authorizer asks it of every request); buckets
// recorded without one (made before accounts) are the management account's.
TEST(BucketPolicyCache, KnowsEveryBucketsOwnerAccount) {
  auto store = store::NewMemoryStore();
  CreateBucket(*store.metadata, "b");  // no owner account recorded
  store::BucketRecord member{.name = "member", .region = "us-east-1", .owner_id = "m",
                             .owner_account = "444455556666"};
  ASSERT_TRUE(store::WaitFor<void>([&](store::Callback<void> cb) { store.metadata->CreateBucket(member, std::move(cb)); }));
  BucketPolicyCache cache(*store.metadata, "111122223333");
  ASSERT_TRUE(cache.Load());
  EXPECT_EQ(cache.OwnerOf("b"), "111122223333");
  EXPECT_EQ(cache.ForBucket("b").owner_account, "111122223333");
  EXPECT_EQ(cache.ForBucket("member").owner_account, "444455556666");
  EXPECT_EQ(cache.OwnerOf("no-such-bucket"), "");
  EXPECT_EQ(cache.ForBucket("no-such-bucket").owner_account, "");
  EXPECT_EQ(cache.size(), 0u);  // no access control held: neither has a policy or ACLs
}

// arn:aws:iam:::user/NAME in a bucket policy names a user of the bucket owner's account.
TEST(BucketPolicyCache, CompilesAPolicyForItsOwnersAccount) {
  auto store = store::NewMemoryStore();
  store::BucketRecord b{.name = "b", .region = "us-east-1", .owner_id = "m",
                        .owner_account = "444455556666"};
  ASSERT_TRUE(store::WaitFor<void>([&](store::Callback<void> cb) { store.metadata->CreateBucket(b, std::move(cb)); }));
  SetPolicy(*store.metadata,
            R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam:::user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})");
  BucketPolicyCache cache(*store.metadata, "111122223333");
  ASSERT_TRUE(cache.Load());
  auto compiled = cache.ForBucket("b").policy;
  ASSERT_NE(compiled, nullptr);
  EXPECT_EQ(compiled->statements()[0].principal.arns[0], "arn:aws:iam::444455556666:user/bob");
}

}  // namespace
}  // namespace kura::s3
