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
#include "s3/lifecycle_cache.h"
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
  LifecycleRulesCache lifecycle_rules_{metadata_, std::chrono::seconds(86400)};
  S3Env env_{metadata_, blobs_, clock_,   pool_, "us-east-1", "123456789012",
             random_,   resolver_, bucket_policies_, lifecycle_rules_};
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


TEST_F(S3Handlers, PutBucketLifecycleConfigurationNeedsContentMd5OrAChecksum) {
  Request r;
  r.method = bhttp::verb::put;
  r.target = std::string("/") + kBucket + "?lifecycle";
  r.body = "<LifecycleConfiguration><Rule><ID>r</ID><Status>Enabled</Status><Filter/>"
           "<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>";
  auto put = Run(r);
  ASSERT_FALSE(put.result.has_value());
  EXPECT_EQ(put.result.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(put.result.error().message, "Missing required header for this request: Content-MD5");
  r.headers = {{"content-md5", Base64Encode(Md5(r.body))}};
  put = Run(r);
  ASSERT_TRUE(put.result.has_value()) << put.result.error().message;
  EXPECT_FALSE(metadata_.GetBucket(kBucket)->lifecycle_xml.empty());
}

// Put, Get (named rules), x-amz-expiration on PUT/GET/HEAD of a selected key, Delete, and
// NoSuchLifecycleConfiguration afterwards.
TEST_F(S3Handlers, LifecycleConfigurationIsStoredServedAndAnnouncedOnObjects) {
  Request put;
  put.method = bhttp::verb::put;
  put.target = std::string("/") + kBucket + "?lifecycle";
  put.body = "<LifecycleConfiguration><Rule><Status>Enabled</Status><Filter><Prefix>logs/</Prefix></Filter>"
             "<Expiration><Days>2</Days></Expiration></Rule></LifecycleConfiguration>";
  put.headers = {{"content-md5", Base64Encode(Md5(put.body))}};
  ASSERT_TRUE(Run(put).result.has_value());

  Request get;
  get.target = std::string("/") + kBucket + "?lifecycle";
  auto got = Run(get);
  ASSERT_TRUE(got.result.has_value());
  EXPECT_NE(got.response.sent_body.find("<Prefix>logs/</Prefix>"), std::string::npos) << got.response.sent_body;
  size_t id = got.response.sent_body.find("<ID>");
  ASSERT_NE(id, std::string::npos);  // S3 names a rule given without ID
  EXPECT_NE(got.response.sent_body.substr(id, 6), "<ID></");

  auto object = Put("logs/a", "x");
  ASSERT_TRUE(object.result.has_value());
  std::string expiration(object.response.sent_head->fields["x-amz-expiration"]);
  EXPECT_TRUE(expiration.starts_with("expiry-date=\"")) << expiration;
  EXPECT_NE(expiration.find("00:00:00 GMT\", rule-id=\""), std::string::npos) << expiration;
  EXPECT_EQ(std::string(Get("logs/a").response.sent_head->fields["x-amz-expiration"]), expiration);
  auto other = Put("data/a", "x");
  EXPECT_EQ(other.response.sent_head->fields.count("x-amz-expiration"), 0u);

  Request del;
  del.method = bhttp::verb::delete_;
  del.target = std::string("/") + kBucket + "?lifecycle";
  auto deleted = Run(del);
  ASSERT_TRUE(deleted.result.has_value());
  EXPECT_EQ(deleted.response.response_status(), 204);
  auto gone = Run(get);
  ASSERT_FALSE(gone.result.has_value());
  EXPECT_EQ(gone.result.error().code, ErrorCode::kNoSuchLifecycleConfiguration);
  EXPECT_EQ(Get("logs/a").response.sent_head->fields.count("x-amz-expiration"), 0u);
}

}  // namespace
}  // namespace kura::s3
