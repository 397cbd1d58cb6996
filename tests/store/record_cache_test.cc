// RecordCache on its own (generations, capacity) and inside the SQLite store: a read after a
// write, however the write ended, never sees the record the write replaced.
#include "store/record_cache.h"

#include <gtest/gtest.h>

#include <atomic>

#include "store/store.h"
#include "store_test_util.h"

namespace kura::store {
namespace {

using testing::Bucket;
using testing::Object;

TEST(RecordCache, AnswersWhatWasReadUntilTheGenerationMoves) {
  std::atomic<uint64_t> generation{7};
  RecordCache cache(generation, RecordCache::kDefaultCapacityBytes);
  EXPECT_FALSE(cache.Find("b", "k", true));
  cache.Insert("b", "k", true, cache.Generation(), Object("b", "k", "v1"));
  auto found = cache.Find("b", "k", true);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->blob.inline_data, "v1");
  EXPECT_FALSE(cache.Find("b", "k", false)) << "with and without body are kept apart";
  EXPECT_FALSE(cache.Find("b", "other", true));
  EXPECT_FALSE(cache.Find("b2", "k", true));
  generation.fetch_add(1);
  EXPECT_FALSE(cache.Find("b", "k", true)) << "a write committed since the read";
}

TEST(RecordCache, RefusesARecordReadBeforeTheLastWrite) {
  std::atomic<uint64_t> generation{1};
  RecordCache cache(generation, RecordCache::kDefaultCapacityBytes);
  uint64_t read_at = cache.Generation();
  generation.fetch_add(1);  // a commit lands between the read and the insert
  cache.Insert("b", "k", true, read_at, Object("b", "k", "old"));
  EXPECT_FALSE(cache.Find("b", "k", true));
}

TEST(RecordCache, KeysDoNotCollideAcrossBucketAndKeyBoundaries) {
  std::atomic<uint64_t> generation{1};
  RecordCache cache(generation, RecordCache::kDefaultCapacityBytes);
  cache.Insert("ab", "c", true, 1, Object("ab", "c", "x"));
  EXPECT_FALSE(cache.Find("a", "bc", true));
  EXPECT_FALSE(cache.Find("a", "b/c", true));
}

TEST(RecordCache, StaysWithinItsCapacityAndSkipsLargeBodies) {
  std::atomic<uint64_t> generation{1};
  RecordCache cache(generation, 4096);
  cache.Insert("b", "big", true, 1, Object("b", "big", std::string(RecordCache::kMaxBodyBytes + 1, 'x')));
  EXPECT_FALSE(cache.Find("b", "big", true));
  for (int i = 0; i < 20; ++i) {
    std::string key = "k" + std::to_string(i);
    cache.Insert("b", key, true, 1, Object("b", key, std::string(1000, 'x')));
  }
  int kept = 0;
  for (int i = 0; i < 20; ++i) kept += cache.Find("b", "k" + std::to_string(i), true) ? 1 : 0;
  EXPECT_GE(kept, 1);
  EXPECT_LE(kept, 3) << "4 KiB hold at most three 1 000-byte records with their overhead";
  EXPECT_TRUE(cache.Find("b", "k19", true)) << "the newest survives a restart of the cache";

  RecordCache off(generation, 0);
  off.Insert("b", "k", true, 1, Object("b", "k"));
  EXPECT_FALSE(off.Find("b", "k", true));
}

TEST(SqliteRecordCache, EveryWriteIsSeenByTheNextRead) {
  testing::TempDir dir;
  auto store = OpenDataDir(dir.path());
  ASSERT_TRUE(store) << store.error().message;
  MetadataStore& meta = *store->metadata;
  ASSERT_TRUE(testing::CreateBucketSync(meta, Bucket("b")));
  ASSERT_TRUE(testing::PutSync(meta, Object("b", "k", "one")));
  for (int i = 0; i < 2; ++i) {  // the second read is the cache's answer
    auto got = meta.GetObject("b", "k");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->blob.inline_data, "one");
    ASSERT_TRUE(meta.GetObjectMeta("b", "k"));
  }

  // The write's own callback already reads the new record.
  std::string seen_in_callback;
  auto put = WaitFor<std::optional<BlobRef>>([&](Callback<std::optional<BlobRef>> cb) {
    meta.PutObject(Object("b", "k", "two"), {}, [&, cb](auto result) {
      auto got = meta.GetObject("b", "k");
      seen_in_callback = got ? got->blob.inline_data : "error";
      cb(std::move(result));
    });
  });
  ASSERT_TRUE(put);
  EXPECT_EQ(seen_in_callback, "two");
  EXPECT_EQ(meta.GetObjectMeta("b", "k")->size, 3u);

  // A write to another key moves the generation too; a delete is seen at once.
  ASSERT_TRUE(testing::PutSync(meta, Object("b", "other", "x")));
  ASSERT_TRUE(testing::DeleteSync(meta, "b", "k"));
  auto gone = meta.GetObject("b", "k");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNoSuchKey);
  EXPECT_EQ(meta.GetObject("b", "other")->blob.inline_data, "x");
}

}  // namespace
}  // namespace kura::store
