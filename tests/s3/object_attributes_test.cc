// GetObjectAttributes through Dispatch on the memory store: the attributes asked for in
// botocore's order and shape, the headers, ObjectParts of a multipart object, delete markers,
// and the refusal of unknown attribute names.
#include <pugixml.hpp>

#include "s3/object_attributes.h"
#include "sigv4/checksums.h"
#include "tests/s3/handler_harness.h"
#include "tests/store/store_test_util.h"

namespace kura::s3 {
namespace {

using store::testing::PutVersionSync;
using store::testing::Version;
using testing::HarnessAnswer;
using testing::HarnessRequest;

class ObjectAttributesTest : public testing::HandlerHarness {
 protected:
  ObjectAttributesTest() {
    EXPECT_TRUE(CreateBucket("b"));
    EXPECT_TRUE(CreateBucket("vb", store::VersioningState::kEnabled));
  }

  HarnessAnswer Attributes(std::string target, std::string attributes,
                             std::vector<std::pair<std::string, std::string>> more = {}) {
    more.emplace_back("x-amz-object-attributes", std::move(attributes));
    return Run({.target = std::move(target), .headers = std::move(more)});
  }
};

TEST(ParseObjectAttributes, AcceptsAwsNamesWithSpacesAndRefusesOthers) {
  EXPECT_EQ(*ParseObjectAttributes("ETag, ObjectSize"), kAttributeETag | kAttributeObjectSize);
  EXPECT_EQ(ParseObjectAttributes("ETag,Size").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseObjectAttributes("etag").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseObjectAttributes("").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ObjectAttributesTest, ReturnsWhatIsAskedInBotocoresOrderWithAnUnquotedETag) {
  std::string data = "attribute bytes";
  std::string crc = sigv4::ChecksumBase64(sigv4::ChecksumAlgorithm::kCrc32, data);
  auto put = Run({.method = bhttp::verb::put, .target = "/b/k",
                  .headers = {{"x-amz-checksum-crc32", crc}}, .body = data});
  ASSERT_TRUE(put.result) << put.result.error().message;

  auto answer = Attributes("/b/k?attributes", "ObjectSize,StorageClass,Checksum,ETag,ObjectParts");
  ASSERT_TRUE(answer.result) << answer.result.error().message;
  const auto& head = *answer.response.sent_head;
  EXPECT_EQ(answer.response.response_status(), 200);
  EXPECT_FALSE(head.fields["last-modified"].empty());
  EXPECT_TRUE(head.fields["x-amz-version-id"].empty());  // never versioned: S3 names no version
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(answer.response.sent_body.c_str()));
  auto root = doc.child("GetObjectAttributesResponse");
  std::vector<std::string> order;
  for (auto node : root.children()) order.push_back(node.name());
  // Single-part: no ObjectParts.
  EXPECT_EQ(order, (std::vector<std::string>{"ETag", "Checksum", "StorageClass", "ObjectSize"}));
  EXPECT_EQ(std::string(root.child_value("ETag")).find('"'), std::string::npos);
  EXPECT_EQ(root.child("Checksum").child_value("ChecksumCRC32"), crc);
  EXPECT_STREQ(root.child_value("StorageClass"), "STANDARD");
  EXPECT_STREQ(root.child_value("ObjectSize"), "15");
}

TEST_F(ObjectAttributesTest, AMultipartObjectHasItsPartsCount) {
  auto object = store::testing::Object("b", "mp");
  object.etag = "abc-3";
  object.parts_count = 3;
  ASSERT_TRUE(store::testing::PutSync(metadata_, object));
  auto answer = Attributes("/b/mp?attributes", "ObjectParts", {{"x-amz-max-parts", "2"}});
  ASSERT_TRUE(answer.result) << answer.result.error().message;
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(answer.response.sent_body.c_str()));
  auto parts = doc.child("GetObjectAttributesResponse").child("ObjectParts");
  EXPECT_STREQ(parts.child_value("PartsCount"), "3");
  EXPECT_STREQ(parts.child_value("MaxParts"), "2");
}

TEST_F(ObjectAttributesTest, MissingOrUnknownAttributesAreInvalidArgument) {
  ASSERT_TRUE(store::testing::PutSync(metadata_, store::testing::Object("b", "k")));
  auto missing = Run({.target = "/b/k?attributes"});
  ASSERT_FALSE(missing.result);
  EXPECT_EQ(missing.result.error().code, ErrorCode::kInvalidArgument);
  auto unknown = Attributes("/b/k?attributes", "ETag,Color");
  ASSERT_FALSE(unknown.result);
  EXPECT_EQ(unknown.result.error().code, ErrorCode::kInvalidArgument);
  auto bad_max = Attributes("/b/k?attributes", "ETag", {{"x-amz-max-parts", "-1"}});
  ASSERT_FALSE(bad_max.result);
  EXPECT_EQ(bad_max.result.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ObjectAttributesTest, ALatestDeleteMarkerIs404WithTheDeleteMarkerHeader) {
  ASSERT_TRUE(PutVersionSync(metadata_, Version("vb", "k", "v1"), {.now = clock_.Now()}));
  ASSERT_TRUE(store::testing::DeleteVersionSync(
      metadata_, {.bucket = "vb", .key = "k", .marker_version_id = "m1", .lock = {.now = clock_.Now()}}));
  auto answer = Attributes("/vb/k?attributes", "ETag");
  ASSERT_TRUE(answer.result);  // answered by the handler: the pipeline cannot add the headers
  EXPECT_EQ(answer.response.response_status(), 404);
  const auto& fields = answer.response.sent_head->fields;
  EXPECT_EQ(fields["x-amz-delete-marker"], "true");
  EXPECT_EQ(fields["x-amz-version-id"], "m1");
  EXPECT_NE(answer.response.sent_body.find("<Code>NoSuchKey</Code>"), std::string::npos);
}

// Called on the handler itself: Dispatch still refuses version ids other than "null" until
// versioned reads land (d12/objects).
TEST_F(ObjectAttributesTest, AVersionIdReadsThatVersionAndNamesIt) {
  ASSERT_TRUE(PutVersionSync(metadata_, Version("vb", "k", "v1", "first"), {.now = clock_.Now()}));
  ASSERT_TRUE(PutVersionSync(metadata_, Version("vb", "k", "v2", "second!"), {.now = clock_.Now()}));
  HarnessRequest r{.target = "/vb/k?attributes&versionId=v1",
                   .headers = {{"x-amz-object-attributes", "ObjectSize"}}};
  auto answer = Run(r, &GetObjectAttributes);
  ASSERT_TRUE(answer.result) << answer.result.error().message;
  EXPECT_EQ(answer.response.sent_head->fields["x-amz-version-id"], "v1");
  EXPECT_NE(answer.response.sent_body.find("<ObjectSize>5</ObjectSize>"), std::string::npos);

  ASSERT_TRUE(store::testing::DeleteVersionSync(
      metadata_, {.bucket = "vb", .key = "k", .marker_version_id = "m1", .lock = {.now = clock_.Now()}}));
  r.target = "/vb/k?attributes&versionId=m1";
  auto marker = Run(r, &GetObjectAttributes);
  ASSERT_TRUE(marker.result);
  EXPECT_EQ(marker.response.response_status(), 405);
  EXPECT_EQ(marker.response.sent_head->fields["x-amz-delete-marker"], "true");
}

TEST_F(ObjectAttributesTest, AMissingVersionIsNoSuchVersion) {
  ASSERT_TRUE(PutVersionSync(metadata_, Version("vb", "k", "v1"), {.now = clock_.Now()}));
  HarnessRequest r{.target = "/vb/k?attributes&versionId=nope",
                   .headers = {{"x-amz-object-attributes", "ETag"}}};
  auto answer = Run(r, &GetObjectAttributes);
  ASSERT_FALSE(answer.result);
  EXPECT_EQ(answer.result.error().code, ErrorCode::kNoSuchVersion);
}

}  // namespace
}  // namespace kura::s3
