// The read-only scan over the SQLite store, opened beside the store that writes (as `kura scrub`
// beside `kura serve`): walk order, paging from a position, inline bodies, parts, totals,
// referenced blobs.
#include "store/sqlite/sqlite_version_scan.h"

#include <gtest/gtest.h>

#include "../store/store_test_util.h"
#include "store/fs/block_checksums.h"
#include "store/store.h"

namespace kura::store {
namespace {

using testing::Bucket;
using testing::CreateBucketSync;
using testing::Object;
using testing::PutSync;
using testing::PutVersionSync;
using testing::Version;

ObjectRecord FileObject(std::string bucket, std::string key, std::string id, uint64_t size) {
  ObjectRecord o = Object(std::move(bucket), std::move(key), "");
  o.size = size;
  o.blob = {.kind = BlobRef::Kind::kFile, .id = std::move(id), .size = size};
  return o;
}

class SqliteVersionScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenDataDir(dir_.path());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(store).value();
    MetadataStore& m = *store_.metadata;
    ASSERT_TRUE(CreateBucketSync(m, Bucket("a")));
    ASSERT_TRUE(testing::SetVersioningSync(m, "a", VersioningState::kEnabled));
    ASSERT_TRUE(PutVersionSync(m, Version("a", "k", "v1", "one")));
    ASSERT_TRUE(PutVersionSync(m, Version("a", "k", "v2", "two")));
    ASSERT_TRUE(testing::DeleteVersionSync(
        m, DeleteRequest{.bucket = "a", .key = "k", .marker_version_id = "v3"}));
    ASSERT_TRUE(CreateBucketSync(m, Bucket("b")));
    ASSERT_TRUE(PutSync(m, Object("b", "x", "hello")));
    ASSERT_TRUE(PutSync(m, FileObject("b", "y", std::string(32, 'f'), 100000)));
    UploadRecord upload{.upload_id = "up-1", .object = Object("b", "z", "")};
    ASSERT_TRUE(testing::CreateUploadSync(m, upload));
    PartRecord part{.part_number = 2, .size = 6000, .etag = "e"};
    part.blob = {.kind = BlobRef::Kind::kFile, .id = std::string(32, 'c'), .size = 6000};
    ASSERT_TRUE(testing::PutPartSync(m, "up-1", part));
  }

  Result<std::unique_ptr<VersionScan>> Open() {
    return sqlite::OpenVersionScan(dir_.path() / "meta.db");
  }

  testing::TempDir dir_;
  Store store_;
};

TEST_F(SqliteVersionScanTest, WalksEveryVersionByBucketKeyNewestFirstBesideTheWriter) {
  auto scan = Open();
  ASSERT_TRUE(scan) << scan.error().message;
  auto all = (*scan)->VersionsAfter({}, 100);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 5u);
  std::vector<std::string> walked;
  for (const auto& v : *all) walked.push_back(v.at.bucket + "/" + v.at.key + "@" + v.version_id);
  EXPECT_EQ(walked,
            (std::vector<std::string>{"a/k@v3", "a/k@v2", "a/k@v1", "b/x@null", "b/y@null"}));
  EXPECT_TRUE((*all)[0].is_delete_marker);
  EXPECT_TRUE((*all)[0].is_latest);
  EXPECT_FALSE((*all)[1].is_latest);
  EXPECT_EQ((*all)[2].blob.inline_data, "one");
  const ScannedVersion& x = (*all)[3];
  EXPECT_EQ(x.blob.inline_data, "hello");
  EXPECT_TRUE(!x.inline_crc32c || *x.inline_crc32c == Crc32c(0, "hello"));
  const ScannedVersion& y = (*all)[4];
  EXPECT_EQ(y.blob.kind, BlobRef::Kind::kFile);
  EXPECT_EQ(y.blob.id, std::string(32, 'f'));
  EXPECT_EQ(y.blob.size, 100000u);

  // Paging from each position yields the same walk.
  std::vector<ScannedVersion> paged;
  VersionPosition at;
  while (true) {
    auto page = (*scan)->VersionsAfter(at, 2);
    ASSERT_TRUE(page);
    if (page->empty()) break;
    at = page->back().at;
    paged.insert(paged.end(), page->begin(), page->end());
  }
  ASSERT_EQ(paged.size(), all->size());
  for (size_t i = 0; i < paged.size(); ++i) EXPECT_EQ(paged[i].at, (*all)[i].at);

  // A write after the scan opened is seen by the next page.
  ASSERT_TRUE(PutSync(*store_.metadata, Object("b", "zz", "late")));
  auto late = (*scan)->VersionsAfter(y.at, 10);
  ASSERT_TRUE(late);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ(late->front().at.key, "zz");
}

TEST_F(SqliteVersionScanTest, FindsAVersionOnlyWhileItExists) {
  auto scan = Open();
  ASSERT_TRUE(scan);
  auto all = (*scan)->VersionsAfter({}, 100);
  ASSERT_TRUE(all);
  auto found = (*scan)->FindVersion((*all)[4].at);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->blob, (*all)[4].blob);
  ASSERT_TRUE(testing::DeleteSync(*store_.metadata, "b", "y"));
  found = (*scan)->FindVersion((*all)[4].at);
  ASSERT_TRUE(found);
  EXPECT_FALSE(*found);
}

TEST_F(SqliteVersionScanTest, WalksThePartsOfUploadsInProgressAndCountsEverything) {
  auto scan = Open();
  ASSERT_TRUE(scan);
  auto parts = (*scan)->PartsAfter({}, 10);
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ(parts->front().at, (PartPosition{"up-1", 2}));
  EXPECT_EQ(parts->front().bucket, "b");
  EXPECT_EQ(parts->front().key, "z");
  EXPECT_EQ(parts->front().blob_id, std::string(32, 'c'));
  EXPECT_EQ(parts->front().size, 6000u);
  auto after = (*scan)->PartsAfter(parts->front().at, 10);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->empty());

  auto totals = (*scan)->Totals();
  ASSERT_TRUE(totals);
  EXPECT_EQ(totals->versions, 5u);
  EXPECT_EQ(totals->parts, 1u);
  EXPECT_EQ(totals->bytes, 3u + 3u + 5u + 100000u + 6000u);

  auto referenced = (*scan)->ReferencedBlobIds();
  ASSERT_TRUE(referenced);
  EXPECT_EQ(*referenced,
            (std::unordered_set<std::string>{std::string(32, 'f'), std::string(32, 'c')}));
}

TEST(SqliteVersionScan, RefusesAMissingDatabaseWithoutCreatingIt) {
  testing::TempDir dir;
  auto scan = sqlite::OpenVersionScan(dir.path() / "meta.db");
  EXPECT_FALSE(scan);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "meta.db"));
}

}  // namespace
}  // namespace kura::store
