// S3 handlers run through s3::Dispatch against the memory store, with an in-memory body and
// response (no sockets): a PUT's bytes come back from a GET, and a body that fails verification
// (signed hash, checksum, Content-MD5, truncated aws-chunked) reaches the handler as an error and
// leaves nothing stored.
#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "common/encoding.h"
#include "s3/bucket_policy_cache.h"
#include "s3/s3_call.h"
#include "store/awaitable.h"
#include "sigv4/checksums.h"
#include "store/memory/memory_blob_store.h"
#include "store/memory/memory_metadata_store.h"
#include "tests/sigv4/test_signer.h"
#include "tests/support/memory_exchange.h"

namespace kura::s3 {
namespace {

using kura::testing::MemoryResponse;
using kura::testing::PiecewiseBody;
using kura::testing::RunToEnd;

constexpr char kBucket[] = "bucket";

struct Request {
  bhttp::verb method = bhttp::verb::get;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  sigv4::PayloadMode payload_mode = sigv4::PayloadMode::kUnsigned;
  std::string content_sha256;
  bool truncated = false;  // the peer closes before the body's end
};

struct Answer {
  Result<void> result = Ok();
  MemoryResponse response;
};

class S3Handlers : public ::testing::Test {
 protected:
  S3Handlers() {
    store::BucketRecord bucket;
    bucket.name = kBucket;
    bucket.region = "us-east-1";
    auto created = RunToEnd(io_, store::StoreWrite<void>([&](auto done) { metadata_.CreateBucket(bucket, std::move(done)); }));
    EXPECT_TRUE(created.has_value());
  }
  ~S3Handlers() override { pool_.join(); }

  Answer Run(const Request& r) {
    RequestHead head;
    head.method = r.method;
    head.method_string = std::string(bhttp::to_string(r.method));
    head.target = r.target;
    head.fields.set(bhttp::field::host, "localhost");
    for (const auto& [name, value] : r.headers) head.fields.set(name, value);
    if (r.method == bhttp::verb::put || r.method == bhttp::verb::post) {
      head.has_content_length = true;
      head.content_length = r.body.size();
    }
    std::vector<HeaderField> headers;
    for (const auto& field : head.fields) headers.push_back({field.name_string(), field.value()});
    sigv4::RequestView view{head.method_string, head.target, headers, {}};
    sigv4::AuthResult auth;
    auth.type = sigv4::AuthType::kHeader;
    auth.payload_mode = r.payload_mode;
    auth.content_sha256 = r.content_sha256;
    PiecewiseBody source(r.body, {1000, 7, 70000}, r.truncated);
    sigv4::VerifiedBody body(source, auth, view, head.content_length);
    auto request = ParseS3Request(RouteInput{head.method, head.target, "localhost", "", false, false});
    Answer answer;
    if (!request) {
      answer.result = request.error();
      return answer;
    }
    S3Call call{*request, head, headers, body, answer.response, "request-id",
                [](std::string_view, std::string_view) { return Result<void>(); }};
    answer.result = RunToEnd(io_, Dispatch(env_, call));
    return answer;
  }

  Answer Put(std::string key, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = bhttp::verb::put;
    r.target = std::string("/") + kBucket + "/" + key;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return Run(r);
  }

  Answer Get(std::string key) {
    Request r;
    r.target = std::string("/") + kBucket + "/" + key;
    return Run(r);
  }

  Answer Call(bhttp::verb method, std::string target,
              std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = "") {
    Request r;
    r.method = method;
    r.target = std::string("/") + kBucket + target;
    r.headers = std::move(headers);
    r.body = std::move(body);
    return Run(r);
  }
  void SetVersioning(std::string_view status) {
    auto put = Call(bhttp::verb::put, "?versioning", {},
                    "<VersioningConfiguration><Status>" + std::string(status) +
                        "</Status></VersioningConfiguration>");
    ASSERT_TRUE(put.result.has_value()) << put.result.error().message;
  }
  // The version id a write answered (x-amz-version-id), "" when none.
  static std::string VersionOf(const Answer& answer) {
    if (!answer.response.sent_head) return "";
    return std::string(answer.response.sent_head->fields["x-amz-version-id"]);
  }
  static std::string HeaderOf(const Answer& answer, std::string_view name) {
    if (!answer.response.sent_head) return "";
    return std::string(answer.response.sent_head->fields[name]);
  }
  static std::string CodeOf(const Answer& answer) {
    return answer.result ? "OK" : std::string(answer.result.error().aws_code());
  }

  void ExpectNothingStored(std::string_view key) {
    auto object = metadata_.GetObject(kBucket, key);
    ASSERT_FALSE(object.has_value());
    EXPECT_EQ(object.error().code, ErrorCode::kNoSuchKey);
  }

  store::MemoryMetadataStore metadata_;
  store::MemoryBlobStore blobs_;
  FakeClock clock_{TimePoint(std::chrono::seconds(1700000000))};
  // Outlives pool_ (declared before it): the pool's jobs release objects of this context.
  net::io_context io_;
  net::thread_pool pool_{1};
  FakeRandom random_{1};
  sigv4::testing_support::FakeResolver resolver_;
  BucketPolicyCache bucket_policies_{metadata_};
  S3Env env_{metadata_, blobs_, clock_,   pool_, "us-east-1", "123456789012",
             random_,   resolver_, bucket_policies_};
};

TEST_F(S3Handlers, PutObjectThenGetObjectReturnsTheSameBytes) {
  for (size_t size : {size_t{11}, size_t{300000}}) {  // inline, and received in place into a blob
    std::string data(size, 'q');
    data[0] = 'a';
    auto put = Put("key", data, {{"x-amz-checksum-crc32", sigv4::ChecksumBase64(sigv4::ChecksumAlgorithm::kCrc32, data)}});
    ASSERT_TRUE(put.result.has_value()) << put.result.error().message;
    ASSERT_TRUE(put.response.sent_head.has_value());
    EXPECT_EQ(std::string(put.response.sent_head->fields[bhttp::field::etag]), "\"" + HexLower(Md5(data)) + "\"");
    auto get = Get("key");
    ASSERT_TRUE(get.result.has_value()) << get.result.error().message;
    EXPECT_EQ(get.response.response_status(), 200);
    EXPECT_EQ(get.response.sent_body, data);
  }
}

TEST_F(S3Handlers, ASignedPayloadHashMismatchIsAnErrorAndStoresNothing) {
  Request r;
  r.method = bhttp::verb::put;
  r.target = std::string("/") + kBucket + "/key";
  r.body = "the body as sent";
  r.payload_mode = sigv4::PayloadMode::kSigned;
  r.content_sha256 = Sha256Hex("the body as signed");
  r.headers = {{"x-amz-content-sha256", r.content_sha256}};
  auto put = Run(r);
  ASSERT_FALSE(put.result.has_value());
  EXPECT_EQ(put.result.error().code, ErrorCode::kXAmzContentSHA256Mismatch);
  EXPECT_FALSE(put.response.response_started());
  ExpectNothingStored("key");
}

TEST_F(S3Handlers, ABadChecksumIsAnErrorAndStoresNothing) {
  auto put = Put("key", "body bytes", {{"x-amz-checksum-crc32", sigv4::ChecksumBase64(sigv4::ChecksumAlgorithm::kCrc32, "other")}});
  ASSERT_FALSE(put.result.has_value());
  EXPECT_EQ(put.result.error().code, ErrorCode::kBadDigest);
  ExpectNothingStored("key");
}

TEST_F(S3Handlers, ABadContentMd5IsAnErrorAndStoresNothing) {
  auto put = Put("key", std::string(200000, 'm'), {{"content-md5", Base64Encode(Md5("other"))}});
  ASSERT_FALSE(put.result.has_value());
  EXPECT_EQ(put.result.error().code, ErrorCode::kBadDigest);
  ExpectNothingStored("key");
}

TEST_F(S3Handlers, ATruncatedAwsChunkedBodyIsAnErrorAndStoresNothing) {
  Request r;
  r.method = bhttp::verb::put;
  r.target = std::string("/") + kBucket + "/key";
  r.body = "b\r\nhello world\r\n";  // the final chunk never comes
  r.payload_mode = sigv4::PayloadMode::kStreamingUnsignedTrailer;
  r.headers = {{"content-encoding", "aws-chunked"},
               {"x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
               {"x-amz-decoded-content-length", "11"}};
  r.truncated = true;
  auto put = Run(r);
  ASSERT_FALSE(put.result.has_value());
  EXPECT_EQ(put.result.error().code, ErrorCode::kIncompleteBody);
  ExpectNothingStored("key");
}

TEST_F(S3Handlers, ASmallXmlBodyIsVerifiedToo) {
  Request r;
  r.method = bhttp::verb::put;
  r.target = std::string("/") + kBucket + "?tagging";
  r.body = "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>";
  r.headers = {{"content-md5", Base64Encode(Md5("other"))}};
  auto put = Run(r);
  ASSERT_FALSE(put.result.has_value());
  EXPECT_EQ(put.result.error().code, ErrorCode::kBadDigest);
  EXPECT_TRUE(metadata_.GetBucket(kBucket)->tags.empty());
}

TEST_F(S3Handlers, BucketVersioningIsEnabledOrSuspendedAndNothingElse) {
  auto get = Call(bhttp::verb::get, "?versioning");
  ASSERT_TRUE(get.result.has_value());
  EXPECT_EQ(get.response.sent_body.find("<Status>"), std::string::npos);  // never versioned
  auto put = [&](std::string body) { return CodeOf(Call(bhttp::verb::put, "?versioning", {}, body)); };
  EXPECT_EQ(put("<VersioningConfiguration><Status>Disabled</Status></VersioningConfiguration>"),
            "MalformedXML");
  EXPECT_EQ(put("<VersioningConfiguration/>"), "MalformedXML");
  EXPECT_EQ(put("<Versioning><Status>Enabled</Status></Versioning>"), "MalformedXML");
  EXPECT_EQ(put("<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete>"
                "</VersioningConfiguration>"),
            "AccessDenied");
  EXPECT_EQ(metadata_.GetBucket(kBucket)->versioning, store::VersioningState::kUnversioned);
  EXPECT_EQ(put("<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete>"
                "</VersioningConfiguration>"),
            "OK");
  EXPECT_NE(Call(bhttp::verb::get, "?versioning").response.sent_body.find("<Status>Enabled</Status>"),
            std::string::npos);
  SetVersioning("Suspended");
  EXPECT_NE(Call(bhttp::verb::get, "?versioning").response.sent_body.find("<Status>Suspended</Status>"),
            std::string::npos);
}

TEST_F(S3Handlers, AVersionedPutAnswersItsVersionIdAndEveryVersionStaysReadable) {
  auto unversioned = Put("k", "zero");
  EXPECT_EQ(VersionOf(unversioned), "");  // a bucket never versioned has no version ids
  SetVersioning("Enabled");
  auto one = Put("k", "one");
  auto two = Put("k", "two");
  ASSERT_EQ(VersionOf(one).size(), 32u);
  ASSERT_NE(VersionOf(one), VersionOf(two));
  auto latest = Get("k");
  EXPECT_EQ(latest.response.sent_body, "two");
  EXPECT_EQ(VersionOf(latest), VersionOf(two));
  auto old = Call(bhttp::verb::get, "/k?versionId=" + VersionOf(one));
  EXPECT_EQ(old.response.sent_body, "one");
  EXPECT_EQ(VersionOf(old), VersionOf(one));
  auto null_version = Call(bhttp::verb::get, "/k?versionId=null");
  EXPECT_EQ(null_version.response.sent_body, "zero");
  EXPECT_EQ(VersionOf(null_version), "null");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/k?versionId=" + std::string(32, 'x'))), "NoSuchVersion");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/k?versionId=not-one-of-ours")), "InvalidArgument");
  // Conditions apply to the version addressed.
  std::string old_etag = HeaderOf(one, "etag");
  auto conditional = Call(bhttp::verb::get, "/k?versionId=" + VersionOf(one), {{"if-match", old_etag}});
  EXPECT_EQ(conditional.response.response_status(), 200);
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/k", {{"if-match", old_etag}})), "PreconditionFailed");
}

TEST_F(S3Handlers, DeletingOnAnEnabledBucketLeavesADeleteMarkerThatReadsAs404And405) {
  SetVersioning("Enabled");
  auto put = Put("k", "data");
  auto deleted = Call(bhttp::verb::delete_, "/k");
  ASSERT_TRUE(deleted.result.has_value());
  EXPECT_EQ(deleted.response.response_status(), 204);
  EXPECT_EQ(HeaderOf(deleted, "x-amz-delete-marker"), "true");
  std::string marker = VersionOf(deleted);
  ASSERT_EQ(marker.size(), 32u);

  for (auto method : {bhttp::verb::get, bhttp::verb::head}) {
    auto latest = Call(method, "/k");
    ASSERT_TRUE(latest.result.has_value());
    EXPECT_EQ(latest.response.response_status(), 404);
    EXPECT_EQ(HeaderOf(latest, "x-amz-delete-marker"), "true");
    EXPECT_EQ(VersionOf(latest), marker);
    auto by_id = Call(method, "/k?versionId=" + marker);
    EXPECT_EQ(by_id.response.response_status(), 405);
    EXPECT_EQ(HeaderOf(by_id, "allow"), "DELETE");
    EXPECT_EQ(HeaderOf(by_id, "x-amz-delete-marker"), "true");
    if (method == bhttp::verb::head) {
      EXPECT_EQ(by_id.response.sent_body, "");
    } else {
      EXPECT_NE(by_id.response.sent_body.find("<Code>MethodNotAllowed</Code>"), std::string::npos);
      EXPECT_NE(latest.response.sent_body.find("<Code>NoSuchKey</Code>"), std::string::npos);
    }
  }
  EXPECT_EQ(Call(bhttp::verb::get, "/k?versionId=" + VersionOf(put)).response.sent_body, "data");

  // Deleting the marker by id is permanent and brings the object back.
  auto unmarked = Call(bhttp::verb::delete_, "/k?versionId=" + marker);
  EXPECT_EQ(HeaderOf(unmarked, "x-amz-delete-marker"), "true");
  EXPECT_EQ(VersionOf(unmarked), marker);
  EXPECT_EQ(Get("k").response.sent_body, "data");
  auto gone = Call(bhttp::verb::delete_, "/k?versionId=" + VersionOf(put));
  EXPECT_EQ(HeaderOf(gone, "x-amz-delete-marker"), "");
  EXPECT_EQ(VersionOf(gone), VersionOf(put));
  EXPECT_EQ(CodeOf(Get("k")), "NoSuchKey");
}

TEST_F(S3Handlers, SuspendedWritesReplaceTheNullVersionAndKeepTheOthers) {
  SetVersioning("Enabled");
  auto kept = Put("k", "kept");
  SetVersioning("Suspended");
  EXPECT_EQ(VersionOf(Put("k", "null-1")), "null");
  EXPECT_EQ(VersionOf(Put("k", "null-2")), "null");
  EXPECT_EQ(Call(bhttp::verb::get, "/k?versionId=null").response.sent_body, "null-2");
  EXPECT_EQ(Call(bhttp::verb::get, "/k?versionId=" + VersionOf(kept)).response.sent_body, "kept");
  auto deleted = Call(bhttp::verb::delete_, "/k");
  EXPECT_EQ(HeaderOf(deleted, "x-amz-delete-marker"), "true");
  EXPECT_EQ(VersionOf(deleted), "null");  // the null delete marker replaced "null-2"
  EXPECT_EQ(Call(bhttp::verb::get, "/k?versionId=null").response.response_status(), 405);
  EXPECT_EQ(Call(bhttp::verb::get, "/k?versionId=" + VersionOf(kept)).response.sent_body, "kept");
}

TEST_F(S3Handlers, AConditionalDeleteFailsWith412AndDeletesNothing) {
  auto put = Put("k", "four");
  std::string etag = HeaderOf(put, "etag");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::delete_, "/k", {{"if-match", "\"0123\""}})), "PreconditionFailed");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::delete_, "/k", {{"x-amz-if-match-size", "5"}})),
            "PreconditionFailed");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::delete_, "/k",
                        {{"x-amz-if-match-last-modified-time", "Tue, 14 Nov 2023 22:13:21 GMT"}})),
            "PreconditionFailed");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::delete_, "/k", {{"x-amz-if-match-size", "four"}})),
            "InvalidArgument");
  EXPECT_EQ(Get("k").response.sent_body, "four");
  // clock_ reads 1700000000 = Tue, 14 Nov 2023 22:13:20 GMT.
  auto deleted = Call(bhttp::verb::delete_, "/k",
                      {{"if-match", etag},
                       {"x-amz-if-match-size", "4"},
                       {"x-amz-if-match-last-modified-time", "Tue, 14 Nov 2023 22:13:20 GMT"}});
  ASSERT_TRUE(deleted.result.has_value()) << deleted.result.error().message;
  EXPECT_EQ(CodeOf(Get("k")), "NoSuchKey");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::delete_, "/k", {{"if-match", "*"}})), "NoSuchKey");
}

// (Copies of a version: tests/e2e/test_s3_versioning.py; this harness routes no copy.)
TEST_F(S3Handlers, TaggingAndAclAddressAVersion) {
  SetVersioning("Enabled");
  auto one = Put("k", "one");
  auto two = Put("k", "two");
  auto marker = VersionOf(Call(bhttp::verb::delete_, "/k"));
  std::string tagging = "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>";
  auto tagged = Call(bhttp::verb::put, "/k?tagging&versionId=" + VersionOf(one), {}, tagging);
  ASSERT_TRUE(tagged.result.has_value()) << tagged.result.error().message;
  EXPECT_EQ(VersionOf(tagged), VersionOf(one));
  auto tags = Call(bhttp::verb::get, "/k?tagging&versionId=" + VersionOf(one));
  EXPECT_NE(tags.response.sent_body.find("<Key>a</Key>"), std::string::npos);
  EXPECT_EQ(Call(bhttp::verb::get, "/k?tagging&versionId=" + VersionOf(two)).response.sent_body.find("<Key>"),
            std::string::npos);
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/k?tagging")), "NoSuchKey");  // the latest is a marker
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/k?tagging&versionId=" + marker, {}, tagging)),
            "MethodNotAllowed");
  auto acl = Call(bhttp::verb::get, "/k?acl&versionId=" + VersionOf(two));
  ASSERT_TRUE(acl.result.has_value());
  EXPECT_EQ(VersionOf(acl), VersionOf(two));
}

}  // namespace
}  // namespace kura::s3
