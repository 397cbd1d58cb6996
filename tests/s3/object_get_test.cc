// GetObject/HeadObject: how conditional headers, Range and ?partNumber combine (RFC 9110
// section 13.2.2 as S3 applies it: preconditions before Range; If-Match decides over
// If-Unmodified-Since and If-None-Match over If-Modified-Since), and what a part request answers.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/s3/handler_harness.h"

namespace kura::s3 {
namespace {

constexpr char kBucket[] = "bucket";
// The harness clock is at 2023-11-14 22:13:20 UTC: objects are modified then.
constexpr char kBefore[] = "Sat, 29 Oct 1994 19:43:31 GMT";
constexpr char kAfter[] = "Fri, 01 Jan 2100 00:00:00 GMT";
constexpr char kBody[] = "0123456789";

using Headers = std::vector<std::pair<std::string, std::string>>;

class GetObjectTest : public testing::HandlerHarness {
 protected:
  GetObjectTest() {
    EXPECT_TRUE(CreateBucket(kBucket).has_value());
    auto put = Call(bhttp::verb::put, "/plain", {}, kBody);
    EXPECT_TRUE(put.result.has_value());
    etag_ = Header(put, "ETag");
  }

  testing::HarnessAnswer Call(bhttp::verb method, std::string target, Headers headers = {},
                              std::string body = "") {
    testing::HarnessRequest r;
    r.method = method;
    r.target = std::string("/") + kBucket + target;
    r.headers = std::move(headers);
    r.body = std::move(body);
    return Run(r);
  }

  // The status a GET (or HEAD) answers: its own, or the error's the pipeline would render.
  static int Status(const testing::HarnessAnswer& a) {
    if (a.response.sent_head) return a.response.response_status();
    return a.result ? 0 : a.result.error().http_status();
  }
  static std::string Header(const testing::HarnessAnswer& a, std::string_view name) {
    return a.response.sent_head ? std::string(a.response.sent_head->fields[name]) : "";
  }

  // A completed multipart upload of one part, `data`.
  void PutMultipart(const std::string& key, const std::string& data) {
    auto created = Call(bhttp::verb::post, "/" + key + "?uploads");
    ASSERT_TRUE(created.result.has_value());
    const std::string& xml = created.response.sent_body;
    size_t start = xml.find("<UploadId>") + 10;
    std::string upload_id = xml.substr(start, xml.find("</UploadId>") - start);
    auto part = Call(bhttp::verb::put, "/" + key + "?partNumber=1&uploadId=" + upload_id, {}, data);
    ASSERT_TRUE(part.result.has_value()) << part.result.error().message;
    auto done = Call(bhttp::verb::post, "/" + key + "?uploadId=" + upload_id, {},
                     "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" +
                         Header(part, "ETag") + "</ETag></Part></CompleteMultipartUpload>");
    ASSERT_TRUE(done.result.has_value()) << done.result.error().message;
  }

  std::string etag_;
};

struct Case {
  const char* name;
  Headers headers;
  int status;
};

TEST_F(GetObjectTest, PreconditionsFollowS3sPrecedence) {
  const std::string other = "\"00000000000000000000000000000000\"";
  const std::vector<Case> cases = {
      {"If-Match fails", {{"If-Match", other}}, 412},
      {"If-Match fails though If-Unmodified-Since holds",
       {{"If-Match", other}, {"If-Unmodified-Since", kAfter}}, 412},
      {"If-Match holds and decides over a failing If-Unmodified-Since",
       {{"If-Match", etag_}, {"If-Unmodified-Since", kBefore}}, 200},
      {"If-Unmodified-Since fails alone", {{"If-Unmodified-Since", kBefore}}, 412},
      {"If-None-Match matches", {{"If-None-Match", etag_}}, 304},
      {"If-None-Match matches though If-Modified-Since says modified",
       {{"If-None-Match", etag_}, {"If-Modified-Since", kBefore}}, 304},
      {"If-None-Match holds and decides over If-Modified-Since",
       {{"If-None-Match", other}, {"If-Modified-Since", kAfter}}, 200},
      {"If-Modified-Since fails alone", {{"If-Modified-Since", kAfter}}, 304},
      {"If-Match fails before If-None-Match", {{"If-Match", other}, {"If-None-Match", etag_}}, 412},
      {"a failed precondition wins over an unsatisfiable Range",
       {{"If-Match", other}, {"Range", "bytes=100-"}}, 412},
      {"not modified wins over an unsatisfiable Range",
       {{"If-None-Match", etag_}, {"Range", "bytes=100-"}}, 304},
      {"If-Match holds, then the Range applies", {{"If-Match", etag_}, {"Range", "bytes=1-2"}}, 206},
      {"If-Match * holds", {{"If-Match", "*"}}, 200},
  };
  for (const auto& c : cases) {
    for (auto method : {bhttp::verb::get, bhttp::verb::head}) {
      auto got = Call(method, "/plain", c.headers);
      EXPECT_EQ(Status(got), c.status) << c.name << " (" << bhttp::to_string(method) << ")";
    }
  }
}

TEST_F(GetObjectTest, AnUnsatisfiableRangeIs416WithContentRangeAndAMalformedOneIsIgnored) {
  auto unsatisfiable = Call(bhttp::verb::get, "/plain", {{"Range", "bytes=10-"}});
  EXPECT_EQ(Status(unsatisfiable), 416);
  EXPECT_EQ(Header(unsatisfiable, "Content-Range"), "bytes */10");
  for (const char* ignored : {"bytes=x-3", "bytes=3-1", "bytes=0-1,3-4", "items=0-1"}) {
    auto whole = Call(bhttp::verb::get, "/plain", {{"Range", ignored}});
    EXPECT_EQ(Status(whole), 200) << ignored;
    EXPECT_EQ(whole.response.sent_body, kBody) << ignored;
  }
}

TEST_F(GetObjectTest, RangeWithPartNumberIsAnInvalidRequest) {
  auto got = Call(bhttp::verb::get, "/plain?partNumber=1", {{"Range", "bytes=0-1"}});
  ASSERT_FALSE(got.result.has_value());
  EXPECT_EQ(got.result.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(got.result.error().message, "Cannot specify both Range header and partNumber query parameter");
}

// Issue #13: S3 answers part 1 of a single-part object as a range over all of it.
TEST_F(GetObjectTest, PartOneOfASinglePartObjectIsAll206AndOtherPartsAre416) {
  for (auto method : {bhttp::verb::get, bhttp::verb::head}) {
    auto part = Call(method, "/plain?partNumber=1");
    ASSERT_TRUE(part.result.has_value()) << part.result.error().message;
    EXPECT_EQ(Status(part), 206);
    EXPECT_EQ(Header(part, "Content-Range"), "bytes 0-9/10");
    EXPECT_EQ(Header(part, "x-amz-mp-parts-count"), "");
    if (method == bhttp::verb::get) {
      EXPECT_EQ(part.response.sent_body, kBody);
    }
    auto missing = Call(method, "/plain?partNumber=2");
    ASSERT_FALSE(missing.result.has_value());
    EXPECT_EQ(missing.result.error().code, ErrorCode::kInvalidPartNumber);
    EXPECT_EQ(Status(missing), 416);
  }
  ASSERT_TRUE(Call(bhttp::verb::put, "/empty").result.has_value());
  auto empty = Call(bhttp::verb::get, "/empty?partNumber=1");
  EXPECT_EQ(Status(empty), 200);  // no byte to name in a Content-Range
  EXPECT_EQ(Header(empty, "Content-Range"), "");
}

// Issue #13: x-amz-mp-parts-count is "only returned if you specify partNumber in your request and
// the object was uploaded as a multipart upload" (GetObject, HeadObject in the API Reference).
TEST_F(GetObjectTest, ThePartsCountIsAnsweredOnlyToAPartRequest) {
  PutMultipart("mp", "abc");
  auto whole = Call(bhttp::verb::head, "/mp");
  EXPECT_EQ(Status(whole), 200);
  EXPECT_EQ(Header(whole, "x-amz-mp-parts-count"), "");
  for (auto method : {bhttp::verb::get, bhttp::verb::head}) {
    auto part = Call(method, "/mp?partNumber=1");
    EXPECT_EQ(Status(part), 206);
    EXPECT_EQ(Header(part, "x-amz-mp-parts-count"), "1");
    EXPECT_EQ(Header(part, "Content-Range"), "bytes 0-2/3");
  }
  EXPECT_EQ(Status(Call(bhttp::verb::get, "/mp?partNumber=2")), 416);
}

// x-amz-checksum-mode=ENABLED asks for the object's checksum headers, as a header or hoisted into
// a presigned URL's query (where the AWS SDK for JavaScript v3 puts it).
TEST_F(GetObjectTest, ChecksumModeInTheQueryAnswersTheChecksumsAsTheHeaderDoes) {
  auto checksums = [](const testing::HarnessAnswer& a) {
    std::vector<std::string> out;
    if (!a.response.sent_head) return out;
    for (const auto& field : a.response.sent_head->fields) {
      std::string name(field.name_string());
      if (name.starts_with("x-amz-checksum-"))
        out.push_back(name + "=" + std::string(field.value()));
    }
    return out;
  };
  // CRC32("0123456789") = 0xa684c7c6.
  ASSERT_TRUE(Call(bhttp::verb::put, "/summed", {{"x-amz-checksum-crc32", "poTHxg=="}}, kBody)
                  .result.has_value());
  auto by_header = Call(bhttp::verb::get, "/summed", {{"x-amz-checksum-mode", "ENABLED"}});
  ASSERT_EQ(Status(by_header), 200);
  ASSERT_EQ(checksums(by_header), std::vector<std::string>({"x-amz-checksum-crc32=poTHxg==",
                                                            "x-amz-checksum-type=FULL_OBJECT"}));
  for (auto method : {bhttp::verb::get, bhttp::verb::head}) {
    auto by_query = Call(method, "/summed?x-amz-checksum-mode=ENABLED");
    EXPECT_EQ(Status(by_query), 200);
    EXPECT_EQ(checksums(by_query), checksums(by_header));
  }
  EXPECT_TRUE(checksums(Call(bhttp::verb::get, "/summed")).empty());
}

// Errors a handler answers itself (for headers the pipeline's error answer cannot add) name their
// code for the audit log, as returned errors do.
TEST_F(GetObjectTest, ErrorsAnsweredByTheHandlerRecordTheirCode) {
  auto unsatisfiable = Call(bhttp::verb::get, "/plain", {{"Range", "bytes=10-"}});
  EXPECT_EQ(unsatisfiable.answered_error, "InvalidRange");
  auto head = Call(bhttp::verb::head, "/plain", {{"Range", "bytes=10-"}});
  EXPECT_EQ(Status(head), 416);
  EXPECT_EQ(Header(head, "Content-Range"), "bytes */10");
  EXPECT_EQ(Header(head, "x-amz-error-code"), "InvalidRange");
  EXPECT_EQ(head.response.sent_body, "");
  EXPECT_EQ(head.answered_error, "InvalidRange");
  EXPECT_EQ(Call(bhttp::verb::get, "/plain").answered_error, "");

  ASSERT_TRUE(CreateBucket("versioned", store::VersioningState::kEnabled).has_value());
  testing::HarnessRequest put{.method = bhttp::verb::put, .target = "/versioned/k", .body = "x"};
  ASSERT_TRUE(Run(put).result.has_value());
  auto deleted = Run({.method = bhttp::verb::delete_, .target = "/versioned/k"});
  std::string marker = Header(deleted, "x-amz-version-id");
  ASSERT_FALSE(marker.empty());
  auto latest = Run({.target = "/versioned/k"});
  EXPECT_EQ(Status(latest), 404);
  EXPECT_EQ(latest.answered_error, "NoSuchKey");
  auto by_id = Run({.method = bhttp::verb::head, .target = "/versioned/k?versionId=" + marker});
  EXPECT_EQ(Status(by_id), 405);
  EXPECT_EQ(by_id.answered_error, "MethodNotAllowed");
  auto attributes = Run({.target = "/versioned/k?attributes",
                         .headers = {{"x-amz-object-attributes", "ETag"}}});
  EXPECT_EQ(Status(attributes), 404);
  EXPECT_EQ(attributes.answered_error, "NoSuchKey");
}

}  // namespace
}  // namespace kura::s3
