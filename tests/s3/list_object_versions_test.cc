// ListObjectVersions through Dispatch on the memory store: versions and delete markers of a
// versioned bucket seeded through the store API, in S3's order, paged by key and version-id
// markers; encoding-type=url; the null versions of an unversioned bucket.
#include <pugixml.hpp>

#include "tests/s3/handler_harness.h"
#include "tests/store/store_test_util.h"

namespace kura::s3 {
namespace {

using store::testing::DeleteVersionSync;
using store::testing::PutVersionSync;
using store::testing::Version;

class ListObjectVersionsTest : public testing::HandlerHarness {
 protected:
  ListObjectVersionsTest() {
    EXPECT_TRUE(CreateBucket("vb", store::VersioningState::kEnabled));
    EXPECT_TRUE(CreateBucket("plain"));
  }

  void PutVersion(std::string key, std::string id) {
    ASSERT_TRUE(PutVersionSync(metadata_, Version("vb", std::move(key), std::move(id)), {.now = clock_.Now()}));
  }
  void DeleteKey(std::string key, std::string marker_id) {
    ASSERT_TRUE(DeleteVersionSync(metadata_, {.bucket = "vb", .key = std::move(key),
                                              .marker_version_id = std::move(marker_id),
                                              .lock = {.now = clock_.Now()}}));
  }

  pugi::xml_document List(std::string target) {
    auto answer = Run({.target = std::move(target)});
    EXPECT_TRUE(answer.result) << answer.result.error().message;
    pugi::xml_document doc;
    EXPECT_TRUE(doc.load_string(answer.response.sent_body.c_str())) << answer.response.sent_body;
    return doc;
  }

  // "Version:key@id*" per entry (* when IsLatest), in document order, then "prefix/" entries.
  static std::vector<std::string> Entries(const pugi::xml_document& doc) {
    std::vector<std::string> all;
    for (auto node : doc.child("ListVersionsResult").children()) {
      std::string name = node.name();
      if (name == "Version" || name == "DeleteMarker") {
        all.push_back(name + ":" + node.child_value("Key") + "@" + node.child_value("VersionId") +
                      (std::string_view(node.child_value("IsLatest")) == "true" ? "*" : ""));
      } else if (name == "CommonPrefixes") {
        all.push_back(node.child_value("Prefix"));
      }
    }
    return all;
  }
};

TEST_F(ListObjectVersionsTest, InterleavesVersionsAndDeleteMarkersByKeyThenNewestFirst) {
  PutVersion("a", "a1");
  PutVersion("b", "b1");
  PutVersion("a", "a2");
  DeleteKey("a", "am");
  auto doc = List("/vb?versions");
  EXPECT_EQ(Entries(doc), (std::vector<std::string>{"DeleteMarker:a@am*", "Version:a@a2",
                                                     "Version:a@a1", "Version:b@b1*"}));
  auto root = doc.child("ListVersionsResult");
  EXPECT_STREQ(root.child_value("IsTruncated"), "false");
  EXPECT_STREQ(root.child_value("MaxKeys"), "1000");
  auto marker = root.child("DeleteMarker");
  EXPECT_FALSE(marker.child("ETag"));
  EXPECT_FALSE(marker.child("Size"));
  EXPECT_TRUE(marker.child("Owner"));
  auto version = root.child("Version");
  EXPECT_STREQ(version.child_value("ETag"), "\"etag-a2\"");
  EXPECT_STREQ(version.child_value("Size"), "5");
  EXPECT_STREQ(version.child_value("StorageClass"), "STANDARD");
}

TEST_F(ListObjectVersionsTest, PagesWithKeyAndVersionIdMarkersVisitEveryVersionOnce) {
  for (int i = 0; i < 7; ++i) PutVersion(i % 2 ? "odd" : "even", "v" + std::to_string(i));
  DeleteKey("odd", "m");
  auto everything = Entries(List("/vb?versions"));
  ASSERT_EQ(everything.size(), 8u);

  std::vector<std::string> paged;
  std::string key_marker, version_marker;
  for (int pages = 0; pages < 10; ++pages) {
    auto doc = List("/vb?versions&max-keys=3&key-marker=" + key_marker +
                    "&version-id-marker=" + version_marker);
    for (auto& entry : Entries(doc)) paged.push_back(entry);
    auto root = doc.child("ListVersionsResult");
    if (std::string_view(root.child_value("IsTruncated")) != "true") break;
    key_marker = root.child_value("NextKeyMarker");
    version_marker = root.child_value("NextVersionIdMarker");
  }
  EXPECT_EQ(paged, everything);
}

TEST_F(ListObjectVersionsTest, AVersionIdMarkerWithoutAKeyMarkerIsInvalidArgument) {
  auto answer = Run({.target = "/vb?versions&version-id-marker=v1"});
  ASSERT_FALSE(answer.result);
  EXPECT_EQ(answer.result.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ListObjectVersionsTest, DelimiterGroupsKeysIntoCommonPrefixes) {
  PutVersion("dir/x", "x1");
  PutVersion("dir/y", "y1");
  PutVersion("top", "t1");
  auto doc = List("/vb?versions&delimiter=/");
  EXPECT_EQ(Entries(doc), (std::vector<std::string>{"Version:top@t1*", "dir/"}));
  EXPECT_STREQ(doc.child("ListVersionsResult").child_value("Delimiter"), "/");
}

TEST_F(ListObjectVersionsTest, EncodingTypeUrlEncodesKeysPrefixesAndMarkers) {
  PutVersion("a b/c", "v1");
  PutVersion("a b/d", "v2");
  auto doc = List("/vb?versions&encoding-type=url&prefix=a%20b%2F&key-marker=a%20b%2Fc&max-keys=1");
  auto root = doc.child("ListVersionsResult");
  EXPECT_STREQ(root.child_value("EncodingType"), "url");
  EXPECT_STREQ(root.child_value("Prefix"), "a%20b/");
  EXPECT_STREQ(root.child_value("KeyMarker"), "a%20b/c");
  EXPECT_STREQ(root.child("Version").child_value("Key"), "a%20b/d");
}

TEST_F(ListObjectVersionsTest, MaxKeysZeroListsNothing) {
  PutVersion("a", "a1");
  auto doc = List("/vb?versions&max-keys=0");
  EXPECT_TRUE(Entries(doc).empty());
  EXPECT_STREQ(doc.child("ListVersionsResult").child_value("MaxKeys"), "0");
  EXPECT_STREQ(doc.child("ListVersionsResult").child_value("IsTruncated"), "false");
}

TEST_F(ListObjectVersionsTest, AnUnversionedBucketListsEachObjectAsItsNullVersion) {
  ASSERT_TRUE(store::testing::PutSync(metadata_, store::testing::Object("plain", "k")));
  EXPECT_EQ(Entries(List("/plain?versions")), (std::vector<std::string>{"Version:k@null*"}));
}

}  // namespace
}  // namespace kura::s3
