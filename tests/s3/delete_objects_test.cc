// DeleteObjects through Dispatch on the memory store: per-key <VersionId> deletes that version
// for good, no version id on an Enabled bucket makes a delete marker, each key is authorized for
// the right action, and a version Object Lock protects is that key's AccessDenied.
#include <pugixml.hpp>

#include "common/crypto.h"
#include "common/encoding.h"
#include "tests/s3/handler_harness.h"
#include "tests/store/store_test_util.h"

namespace kura::s3 {
namespace {

using store::testing::PutVersionSync;
using store::testing::Version;

class DeleteObjectsTest : public testing::HandlerHarness {
 protected:
  DeleteObjectsTest() { EXPECT_TRUE(CreateBucket("vb", store::VersioningState::kEnabled, true)); }

  void PutVersion(std::string key, std::string id, bool legal_hold = false) {
    auto version = Version("vb", std::move(key), std::move(id));
    version.legal_hold = legal_hold;
    ASSERT_TRUE(PutVersionSync(metadata_, version, {.now = clock_.Now()}));
  }

  // Sends <Delete> with (key, version id or "" for none) objects; returns the DeleteResult.
  pugi::xml_document Delete(std::string bucket, std::vector<std::pair<std::string, std::string>> objects) {
    std::string body = "<Delete>";
    for (const auto& [key, version] : objects) {
      body += "<Object><Key>" + key + "</Key>";
      if (!version.empty()) body += "<VersionId>" + version + "</VersionId>";
      body += "</Object>";
    }
    body += "</Delete>";
    auto answer = Run({.method = bhttp::verb::post,
                       .target = "/" + bucket + "?delete",
                       .headers = {{"content-md5", Base64Encode(Md5(body))}},
                       .body = body});
    EXPECT_TRUE(answer.result) << answer.result.error().message;
    pugi::xml_document doc;
    EXPECT_TRUE(doc.load_string(answer.response.sent_body.c_str())) << answer.response.sent_body;
    return doc;
  }

  std::vector<std::string> VersionIds(std::string key) {
    auto page = metadata_.ListObjectVersions({.bucket = "vb", .prefix = key});
    EXPECT_TRUE(page);
    std::vector<std::string> ids;
    for (const auto& v : page->versions) ids.push_back(v.version_id + (v.is_delete_marker ? "X" : ""));
    return ids;
  }
};

TEST_F(DeleteObjectsTest, WithoutAVersionIdAnEnabledBucketGetsADeleteMarker) {
  PutVersion("k", "v1");
  auto doc = Delete("vb", {{"k", ""}});
  auto deleted = doc.child("DeleteResult").child("Deleted");
  EXPECT_STREQ(deleted.child_value("Key"), "k");
  EXPECT_FALSE(deleted.child("VersionId"));
  EXPECT_STREQ(deleted.child_value("DeleteMarker"), "true");
  std::string marker = deleted.child_value("DeleteMarkerVersionId");
  EXPECT_EQ(VersionIds("k"), (std::vector<std::string>{marker + "X", "v1"}));
  EXPECT_EQ(authorized_, (std::vector<std::pair<std::string, std::string>>{
                             {"s3:DeleteObject", "arn:aws:s3:::vb/k"}}));
}

TEST_F(DeleteObjectsTest, AVersionIdDeletesThatVersionForGoodAndIsAuthorizedAsDeleteObjectVersion) {
  PutVersion("k", "v1");
  PutVersion("k", "v2");
  auto doc = Delete("vb", {{"k", "v1"}, {"k", "no-such-version"}});
  auto result = doc.child("DeleteResult");
  std::vector<std::string> deleted;
  for (auto d : result.children("Deleted")) {
    deleted.push_back(d.child_value("VersionId"));
    EXPECT_FALSE(d.child("DeleteMarker"));
  }
  // A version that is not there is no error, as in S3.
  EXPECT_EQ(deleted, (std::vector<std::string>{"v1", "no-such-version"}));
  EXPECT_FALSE(result.child("Error"));
  EXPECT_EQ(VersionIds("k"), (std::vector<std::string>{"v2"}));
  ASSERT_EQ(authorized_.size(), 2u);
  EXPECT_EQ(authorized_[0].first, "s3:DeleteObjectVersion");
}

TEST_F(DeleteObjectsTest, DeletingADeleteMarkerByIdReportsIt) {
  PutVersion("k", "v1");
  std::string marker = Delete("vb", {{"k", ""}}).child("DeleteResult").child("Deleted").child_value("DeleteMarkerVersionId");
  auto doc = Delete("vb", {{"k", marker}});
  auto deleted = doc.child("DeleteResult").child("Deleted");
  EXPECT_STREQ(deleted.child_value("VersionId"), marker.c_str());
  EXPECT_STREQ(deleted.child_value("DeleteMarker"), "true");
  EXPECT_STREQ(deleted.child_value("DeleteMarkerVersionId"), marker.c_str());
  EXPECT_EQ(VersionIds("k"), (std::vector<std::string>{"v1"}));
}

TEST_F(DeleteObjectsTest, AVersionUnderLegalHoldIsThatKeysAccessDenied) {
  PutVersion("held", "h1", /*legal_hold=*/true);
  PutVersion("free", "f1");
  auto doc = Delete("vb", {{"held", "h1"}, {"free", "f1"}});
  auto result = doc.child("DeleteResult");
  auto error = result.child("Error");
  EXPECT_STREQ(error.child_value("Key"), "held");
  EXPECT_STREQ(error.child_value("VersionId"), "h1");
  EXPECT_STREQ(error.child_value("Code"), "AccessDenied");
  EXPECT_STREQ(result.child("Deleted").child_value("Key"), "free");
  EXPECT_EQ(VersionIds("held"), (std::vector<std::string>{"h1"}));
  EXPECT_TRUE(VersionIds("free").empty());
}

TEST_F(DeleteObjectsTest, TheNullVersionOfAnUnversionedBucketIsDeleted) {
  ASSERT_TRUE(CreateBucket("plain"));
  ASSERT_TRUE(store::testing::PutSync(metadata_, store::testing::Object("plain", "k")));
  auto doc = Delete("plain", {{"k", "null"}});
  auto deleted = doc.child("DeleteResult").child("Deleted");
  EXPECT_STREQ(deleted.child_value("VersionId"), "null");
  EXPECT_FALSE(deleted.child("DeleteMarker"));
  EXPECT_EQ(metadata_.GetObject("plain", "k").error().code, ErrorCode::kNoSuchKey);
}

TEST_F(DeleteObjectsTest, AKeyTheCallerMayNotDeleteIsRefusedAlone) {
  PutVersion("a", "a1");
  PutVersion("b", "b1");
  authorize_ = [](std::string_view action, std::string_view) -> Result<void> {
    if (action == "s3:DeleteObjectVersion") return MakeError(ErrorCode::kAccessDenied);
    return Ok();
  };
  auto doc = Delete("vb", {{"a", "a1"}, {"b", ""}});
  auto result = doc.child("DeleteResult");
  EXPECT_STREQ(result.child("Error").child_value("Key"), "a");
  EXPECT_STREQ(result.child("Error").child_value("Code"), "AccessDenied");
  EXPECT_STREQ(result.child("Deleted").child_value("Key"), "b");
  EXPECT_EQ(VersionIds("a"), (std::vector<std::string>{"a1"}));
}

}  // namespace
}  // namespace kura::s3
