// RequestPipeline end to end without sockets: an in-memory exchange, the memory store, a real
// SigV4 verifier over a map-backed resolver, and an authorizer that refuses anonymous callers.
// The pipeline authenticates, authorizes, hands the handler a verified body and renders errors
// as S3 <Error> documents.
#include "api/request_pipeline.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>

#include <boost/asio/thread_pool.hpp>

#include <boost/json/parse.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/time_format.h"
#include "s3/bucket_policy_cache.h"
#include "s3/lifecycle_cache.h"
#include "store/awaitable.h"
#include "store/memory/memory_blob_store.h"
#include "store/memory/memory_metadata_store.h"
#include "tests/sigv4/test_signer.h"
#include "tests/support/memory_exchange.h"

namespace kura::api {
namespace {

using kura::testing::MemoryResponse;
using kura::testing::PiecewiseBody;
using kura::testing::RunToEnd;
using sigv4::testing_support::OwnedRequest;
using sigv4::testing_support::SignParams;

class FakeExchange final : public http::Exchange {
 public:
  FakeExchange(const OwnedRequest& request, std::string body)
      : body_(std::move(body)), source_(body_, {1000, 7, 70000}) {
    head_.method = bhttp::string_to_verb(request.method);
    head_.method_string = request.method;
    head_.target = request.target;
    for (const auto& [name, value] : request.headers) head_.fields.insert(name, value);
    head_.has_content_length = true;
    head_.content_length = body_.size();
  }
  const http::RequestHead& request() const override { return head_; }
  net::awaitable<Result<std::string_view>> ReadBody() override { return source_.ReadBody(); }
  net::awaitable<Result<size_t>> ReadBodyInto(std::span<char> out) override { return source_.ReadBodyInto(out); }
  net::awaitable<Result<void>> DiscardBody() override { return source_.DiscardBody(); }
  net::awaitable<Result<void>> Respond(ResponseHead head, std::string body) override {
    return response.Respond(std::move(head), std::move(body));
  }
  net::awaitable<Result<void>> RespondView(ResponseHead head, std::string_view body) override {
    return response.RespondView(std::move(head), body);
  }
  net::awaitable<Result<void>> WriteHead(ResponseHead head, uint64_t length) override {
    return response.WriteHead(std::move(head), length);
  }
  net::awaitable<Result<void>> WriteBody(std::string_view piece) override { return response.WriteBody(piece); }
  net::awaitable<Result<void>> WriteFile(int fd, uint64_t offset, uint64_t length) override {
    return response.WriteFile(fd, offset, length);
  }
  bool response_started() const override { return response.response_started(); }
  int response_status() const override { return response.response_status(); }
  void CloseAfterResponse() override { response.CloseAfterResponse(); }

  MemoryResponse response;

 private:
  http::RequestHead head_;
  std::string body_;
  PiecewiseBody source_;
};

// Refuses anonymous callers, and whatever `refuse` says no to; records what it was asked.
class RefusesAnonymous final : public policy::Authorizer {
 public:
  Result<void> Authorize(const Principal& principal, std::string_view action, std::string_view resource,
                         const policy::RequestAttributes&) const override {
    asked.emplace_back(std::string(action), std::string(resource));
    if (principal.type == PrincipalType::kAnonymous) return MakeError(ErrorCode::kAccessDenied);
    if (refuse && refuse(action, resource)) return MakeError(ErrorCode::kAccessDenied);
    return Ok();
  }
  std::function<bool(std::string_view action, std::string_view resource)> refuse;
  mutable std::vector<std::pair<std::string, std::string>> asked;
};

class RequestPipelineTest : public ::testing::Test {
 protected:
  RequestPipelineTest() {
    resolver_.Add(params_.access_key_id, params_.secret);
    store::BucketRecord bucket;
    bucket.name = "bucket";
    auto created = RunToEnd(io_, store::StoreWrite<void>([&](auto done) { metadata_.CreateBucket(bucket, std::move(done)); }));
    EXPECT_TRUE(created.has_value());
  }
  ~RequestPipelineTest() override {
    pool_.join();
    std::filesystem::remove(audit_path_);
  }

  static std::string AuditPath() {
    return (std::filesystem::temp_directory_path() /
            ("kura-pipeline-audit-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".log"))
        .string();
  }
  static std::unique_ptr<AuditLog> OpenAudit(const std::string& path) {
    std::filesystem::remove(path);
    auto log = AuditLog::Open({.file = {.path = path}});
    EXPECT_TRUE(log.has_value());
    return log ? std::move(*log) : std::make_unique<AuditLog>();
  }
  // The audit records written so far, once `n` are (the writer is asynchronous).
  std::vector<boost::json::object> AuditRecords(size_t n) {
    for (int i = 0; i < 500 && audit_->written_records() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::ifstream in(audit_path_);
    std::vector<boost::json::object> records;
    for (std::string line; std::getline(in, line);) {
      records.push_back(boost::json::parse(line).as_object());
    }
    return records;
  }

  // Sends `request` with `body`, signed for `signed_hash` unless that is empty.
  MemoryResponse Send(OwnedRequest request, std::string body, std::string signed_hash = "") {
    request.Set("host", "localhost");
    if (!signed_hash.empty()) sigv4::testing_support::SignHeaders(request, params_, signed_hash);
    FakeExchange exchange(request, std::move(body));
    RunToEnd(io_, pipeline_.Handle(exchange));
    return std::move(exchange.response);
  }

  static OwnedRequest Make(std::string method, std::string target) {
    OwnedRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    return request;
  }

  static std::string ErrorCodeOf(const MemoryResponse& response) {
    size_t start = response.sent_body.find("<Code>"), end = response.sent_body.find("</Code>");
    if (start == std::string::npos || end == std::string::npos) return "";
    return response.sent_body.substr(start + 6, end - start - 6);
  }

  // Bucket "web", whose CORS rule lets http://app.example GET and PUT.
  void CreateWebBucket() {
    store::BucketRecord web;
    web.name = "web";
    web.cors_xml =
        "<CORSConfiguration><CORSRule><AllowedOrigin>http://app.example</AllowedOrigin>"
        "<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>"
        "<AllowedHeader>*</AllowedHeader>"
        "<ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>";
    auto created = RunToEnd(io_, store::StoreWrite<void>([&](auto done) {
                              metadata_.CreateBucket(web, std::move(done));
                            }));
    ASSERT_TRUE(created.has_value());
  }
  static OwnedRequest with_origin(OwnedRequest request, std::string origin) {
    request.Set("origin", std::move(origin));
    return request;
  }
  static std::string allow_origin(const MemoryResponse& r) {
    return r.sent_head ? std::string(r.sent_head->fields["Access-Control-Allow-Origin"]) : "";
  }

  SignParams params_;
  sigv4::testing_support::FakeResolver resolver_;
  FakeClock clock_{*ParseAmzDate("20130524T000000Z")};
  sigv4::Verifier verifier_{resolver_, clock_, "us-east-1"};
  RefusesAnonymous authorizer_;
  FakeRandom random_{1};
  std::string audit_path_ = AuditPath();
  std::unique_ptr<AuditLog> audit_ = OpenAudit(audit_path_);
  store::MemoryMetadataStore metadata_;
  store::MemoryBlobStore blobs_;
  // Outlives pool_ (declared before it): the pool's jobs release objects of this context.
  net::io_context io_;
  net::thread_pool pool_{1};
  s3::BucketPolicyCache bucket_policies_{metadata_};
  s3::LifecycleRulesCache lifecycle_rules_{metadata_, std::chrono::seconds(86400)};
  s3::S3Env env_{metadata_, blobs_,   clock_,   pool_,           "us-east-1",
                 "123456789012", random_, resolver_, bucket_policies_, lifecycle_rules_};
  metrics::RequestMetrics metrics_;
  std::atomic<bool> stale_{false};  // PipelineConfig::configuration_stale
  int acknowledged_ = 0;            // PipelineConfig::await_followers calls
  RequestPipeline pipeline_{PipelineConfig{"", nullptr, &metrics_, [this] { return stale_.load(); },
                                           [this]() -> net::awaitable<void> {
                                             ++acknowledged_;
                                             co_return;
                                           }},
                            env_, verifier_, authorizer_, random_, *audit_};

  std::string MetricsPage() const {
    metrics::TextWriter out;
    metrics_.Collect(out);
    return out.Take();
  }
};

// Several nodes (issue #20): a bucket configuration write is answered after the wait for the
// other nodes; object writes and reads are not, nor a configuration write that failed.
TEST_F(RequestPipelineTest, WaitsForTheFollowersOnlyAfterAConfigurationWrite) {
  std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",)"
      R"("Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/none"}]})";
  ASSERT_EQ(Send(Make("PUT", "/bucket?policy"), policy, Sha256Hex(policy)).response_status(), 204);
  EXPECT_EQ(acknowledged_, 1);
  std::string data = "x";
  ASSERT_EQ(Send(Make("PUT", "/bucket/key"), data, Sha256Hex(data)).response_status(), 200);
  ASSERT_EQ(Send(Make("GET", "/bucket?policy"), "", Sha256Hex("")).response_status(), 200);
  std::string bad = "{not a policy";
  EXPECT_EQ(Send(Make("PUT", "/bucket?policy"), bad, Sha256Hex(bad)).response_status(), 400);
  EXPECT_EQ(acknowledged_, 1);
}

TEST_F(RequestPipelineTest, CountsEachRequestByTableOperationStatusAndAuthFailure) {
  std::string data = "signed bytes";
  ASSERT_EQ(Send(Make("PUT", "/bucket/key"), data, Sha256Hex(data)).response_status(), 200);
  EXPECT_EQ(Send(Make("PUT", "/bucket/key"), "bytes").response_status(), 403);  // unsigned
  OwnedRequest forged = Make("GET", "/bucket/key");
  forged.Set("host", "localhost");
  sigv4::testing_support::SignHeaders(forged, params_, Sha256Hex(""));
  forged.target = "/bucket/other";
  FakeExchange exchange(forged, "");
  RunToEnd(io_, pipeline_.Handle(exchange));
  std::string page = MetricsPage();
  EXPECT_NE(page.find("kura_requests_total{api=\"s3\",operation=\"PutObject\",status_class=\"2xx\"} 1\n"),
            std::string::npos) << page;
  EXPECT_NE(page.find("kura_requests_total{api=\"s3\",operation=\"PutObject\",status_class=\"4xx\"} 1\n"),
            std::string::npos) << page;
  EXPECT_NE(page.find("kura_auth_failures_total{api=\"s3\",reason=\"denied\"} 1\n"), std::string::npos);
  EXPECT_NE(page.find("kura_auth_failures_total{api=\"s3\",reason=\"bad_signature\"} 1\n"), std::string::npos);
  // The bad signature was refused before routing: no operation of the table, "other".
  EXPECT_NE(page.find("operation=\"other\",status_class=\"4xx\"} 1\n"), std::string::npos);
  EXPECT_EQ(page.find("\"bucket\""), std::string::npos) << "no label from the request";
  EXPECT_EQ(page.find("key"), std::string::npos);
}

TEST_F(RequestPipelineTest, AStaleNodeAnswersSlowDownUntilItsConfigurationIsCurrentAgain) {
  std::string data = "signed bytes";
  stale_ = true;
  auto refused = Send(Make("PUT", "/bucket/key"), data, Sha256Hex(data));
  EXPECT_EQ(refused.response_status(), 503);
  EXPECT_EQ(ErrorCodeOf(refused), "SlowDown");
  EXPECT_FALSE(metadata_.GetObject("bucket", "key").has_value());
  stale_ = false;
  EXPECT_EQ(Send(Make("PUT", "/bucket/key"), data, Sha256Hex(data)).response_status(), 200);
}

TEST_F(RequestPipelineTest, AnUnsignedPutIsAccessDeniedAndNeverReachesTheStore) {
  auto response = Send(Make("PUT", "/bucket/key"), "bytes");
  EXPECT_EQ(response.response_status(), 403);
  EXPECT_EQ(ErrorCodeOf(response), "AccessDenied");
  EXPECT_FALSE(metadata_.GetObject("bucket", "key").has_value());
}

TEST_F(RequestPipelineTest, AnErrorNamesTheRequestPathAsItsResourceNotTheArn) {
  auto response = Send(Make("PUT", "/bucket/some/key?tagging"), "bytes");
  EXPECT_NE(response.sent_body.find("<Resource>/bucket/some/key</Resource>"), std::string::npos)
      << response.sent_body;
  EXPECT_EQ(response.sent_body.find("arn:aws:s3"), std::string::npos) << response.sent_body;
}

TEST_F(RequestPipelineTest, ASignedPutIsStoredAndReadBack) {
  std::string data = "signed bytes";
  auto put = Send(Make("PUT", "/bucket/key"), data, Sha256Hex(data));
  ASSERT_EQ(put.response_status(), 200) << put.sent_body;
  auto get = Send(Make("GET", "/bucket/key"), "", Sha256Hex(""));
  EXPECT_EQ(get.response_status(), 200);
  EXPECT_EQ(get.sent_body, data);
}

TEST_F(RequestPipelineTest, ABodyThatIsNotTheSignedOneIsRenderedAsAnS3Error) {
  auto put = Send(Make("PUT", "/bucket/key"), "tampered bytes", Sha256Hex("signed bytes"));
  EXPECT_EQ(put.response_status(), 400);
  EXPECT_EQ(ErrorCodeOf(put), "XAmzContentSHA256Mismatch");
  EXPECT_FALSE(metadata_.GetObject("bucket", "key").has_value());
}

TEST_F(RequestPipelineTest, ABadSignatureIsSignatureDoesNotMatch) {
  OwnedRequest request = Make("PUT", "/bucket/key");
  request.Set("host", "localhost");
  sigv4::testing_support::SignHeaders(request, params_, Sha256Hex("x"));
  request.target = "/bucket/other";  // signed for another key
  FakeExchange exchange(request, "x");
  RunToEnd(io_, pipeline_.Handle(exchange));
  EXPECT_EQ(exchange.response.response_status(), 403);
  EXPECT_EQ(ErrorCodeOf(exchange.response), "SignatureDoesNotMatch");
}

// A browser reads an error only with the CORS grant on it: errors of every stage (signature,
// authorization, handler) carry the bucket's Access-Control-* headers for an allowed Origin.
TEST_F(RequestPipelineTest, ErrorsCarryTheBucketsCorsGrantForAnAllowedOrigin) {
  CreateWebBucket();

  auto unsigned_put = Send(with_origin(Make("PUT", "/web/key"), "http://app.example"), "bytes");
  EXPECT_EQ(ErrorCodeOf(unsigned_put), "AccessDenied");
  EXPECT_EQ(allow_origin(unsigned_put), "http://app.example");
  EXPECT_EQ(std::string(unsigned_put.sent_head->fields["Access-Control-Expose-Headers"]), "ETag");

  auto missing =
      Send(with_origin(Make("GET", "/web/missing"), "http://app.example"), "", Sha256Hex(""));
  EXPECT_EQ(ErrorCodeOf(missing), "NoSuchKey");
  EXPECT_EQ(allow_origin(missing), "http://app.example");

  OwnedRequest forged = with_origin(Make("PUT", "/web/key"), "http://app.example");
  forged.Set("host", "localhost");
  sigv4::testing_support::SignHeaders(forged, params_, Sha256Hex("x"));
  forged.target = "/web/other";
  FakeExchange exchange(forged, "x");
  RunToEnd(io_, pipeline_.Handle(exchange));
  EXPECT_EQ(ErrorCodeOf(exchange.response), "SignatureDoesNotMatch");
  EXPECT_EQ(allow_origin(exchange.response), "http://app.example");

  // Not for another origin, a method no rule allows, or a bucket without CORS.
  EXPECT_EQ(allow_origin(Send(with_origin(Make("PUT", "/web/key"), "http://evil.example"), "x")),
            "");
  EXPECT_EQ(allow_origin(Send(with_origin(Make("DELETE", "/web/key"), "http://app.example"), "")),
            "");
  EXPECT_EQ(allow_origin(Send(with_origin(Make("PUT", "/bucket/key"), "http://app.example"), "x")),
            "");
}

// A browser's preflight for a presigned PUT goes to the presigned URL, X-Amz-* query and all;
// it is answered from the CORS rules, not refused as a wrongly signed OPTIONS.
TEST_F(RequestPipelineTest, APreflightToAPresignedUrlIsAnsweredNotVerified) {
  CreateWebBucket();
  OwnedRequest preflight = with_origin(
      Make("OPTIONS",
           "/web/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + params_.access_key_id +
               "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
               "&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=" +
               std::string(64, 'a')),
      "http://app.example");
  preflight.Set("access-control-request-method", "PUT");
  preflight.Set("access-control-request-headers", "content-type");
  auto answer = Send(preflight, "");
  EXPECT_EQ(answer.response_status(), 200) << answer.sent_body;
  EXPECT_EQ(allow_origin(answer), "http://app.example");
  EXPECT_EQ(std::string(answer.sent_head->fields["Access-Control-Allow-Headers"]), "content-type");

  preflight.Set("origin", "http://evil.example");  // the CORS rules still decide
  EXPECT_EQ(Send(preflight, "").response_status(), 403);
}

TEST_F(RequestPipelineTest, ASigV2PutIsStoredAndItsContentMd5StillChecked) {
  std::string data = "v2 bytes";
  OwnedRequest put = Make("PUT", "/bucket/v2key");
  put.Set("host", "localhost");
  put.Set("Date", "Fri, 24 May 2013 00:00:00 GMT");
  put.Set("Content-MD5", Base64Encode(Md5(data)));
  sigv4::testing_support::SignV2(put, params_);
  FakeExchange exchange(put, data);
  RunToEnd(io_, pipeline_.Handle(exchange));
  ASSERT_EQ(exchange.response.response_status(), 200) << exchange.response.sent_body;
  EXPECT_TRUE(metadata_.GetObject("bucket", "v2key").has_value());

  // v2 signs no payload hash: a body that is not the one whose MD5 was signed is BadDigest.
  OwnedRequest tampered = Make("PUT", "/bucket/v2other");
  tampered.Set("host", "localhost");
  tampered.Set("Date", "Fri, 24 May 2013 00:00:00 GMT");
  tampered.Set("Content-MD5", Base64Encode(Md5(data)));
  sigv4::testing_support::SignV2(tampered, params_);
  FakeExchange bad(tampered, "other bytes");
  RunToEnd(io_, pipeline_.Handle(bad));
  EXPECT_EQ(bad.response.response_status(), 400);
  EXPECT_EQ(ErrorCodeOf(bad.response), "BadDigest");
  EXPECT_FALSE(metadata_.GetObject("bucket", "v2other").has_value());
}

// As in AWS, DeleteObjects is each key's s3:DeleteObject on BUCKET/KEY and nothing on the bucket:
// a caller allowed to delete under a prefix (a catalog's vended session) deletes its keys there
// in one batch, and the others come back as that key's AccessDenied.
TEST_F(RequestPipelineTest, DeleteObjectsIsAuthorizedForEachKeyAndNotForTheBucket) {
  for (std::string key : {"mine/a", "theirs/b"}) {
    ASSERT_EQ(Send(Make("PUT", "/bucket/" + key), "x", Sha256Hex("x")).response_status(), 200);
  }
  authorizer_.refuse = [](std::string_view action, std::string_view resource) {
    return action == "s3:DeleteObject" && !resource.starts_with("arn:aws:s3:::bucket/mine/");
  };
  authorizer_.asked.clear();
  std::string body =
      "<Delete><Object><Key>mine/a</Key></Object><Object><Key>theirs/b</Key></Object></Delete>";
  OwnedRequest request = Make("POST", "/bucket?delete");
  request.Set("content-md5", Base64Encode(Md5(body)));
  auto response = Send(request, body, Sha256Hex(body));
  ASSERT_EQ(response.response_status(), 200) << response.sent_body;
  EXPECT_NE(response.sent_body.find("<Deleted><Key>mine/a</Key></Deleted>"), std::string::npos) << response.sent_body;
  EXPECT_NE(response.sent_body.find("<Error><Key>theirs/b</Key><Code>AccessDenied</Code>"), std::string::npos)
      << response.sent_body;
  EXPECT_FALSE(metadata_.GetObject("bucket", "mine/a").has_value());
  EXPECT_TRUE(metadata_.GetObject("bucket", "theirs/b").has_value());
  using Asked = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(authorizer_.asked, (Asked{{"s3:DeleteObject", "arn:aws:s3:::bucket/mine/a"},
                                      {"s3:DeleteObject", "arn:aws:s3:::bucket/theirs/b"}}));
}

TEST_F(RequestPipelineTest, AnUnsignedDeleteObjectsDeletesNothing) {
  ASSERT_EQ(Send(Make("PUT", "/bucket/k"), "x", Sha256Hex("x")).response_status(), 200);
  std::string body = "<Delete><Object><Key>k</Key></Object></Delete>";
  OwnedRequest request = Make("POST", "/bucket?delete");
  request.Set("content-md5", Base64Encode(Md5(body)));
  auto response = Send(request, body);
  EXPECT_NE(response.sent_body.find("<Code>AccessDenied</Code>"), std::string::npos) << response.sent_body;
  EXPECT_TRUE(metadata_.GetObject("bucket", "k").has_value());
}

// The audit record of each request: who, what, and how it ended, including errors a handler
// answers itself (a 416 carries Content-Range, so the handler renders it).
TEST_F(RequestPipelineTest, EveryRequestIsAuditedWithItsCallerOperationAndError) {
  std::string data = "0123456789";
  ASSERT_EQ(Send(Make("PUT", "/bucket/key"), data, Sha256Hex(data)).response_status(), 200);
  OwnedRequest ranged = Make("GET", "/bucket/key");
  ranged.Set("range", "bytes=100-");
  ASSERT_EQ(Send(ranged, "", Sha256Hex("")).response_status(), 416);
  ASSERT_EQ(Send(Make("GET", "/bucket/key"), "").response_status(), 403);  // unsigned
  auto get = Send(Make("GET", "/bucket/key"), "", Sha256Hex(""));
  ASSERT_EQ(get.response_status(), 200);

  auto records = AuditRecords(4);
  ASSERT_EQ(records.size(), 4u);
  auto& put = records[0];
  EXPECT_EQ(put["eventName"], boost::json::value("PutObject"));
  EXPECT_EQ(put["eventSource"], boost::json::value("s3.amazonaws.com"));
  auto& who = put["userIdentity"].as_object();
  EXPECT_EQ(who["type"], boost::json::value("IAMUser"));
  EXPECT_EQ(who["accessKeyId"], boost::json::value(params_.access_key_id));
  EXPECT_EQ(put["requestParameters"].as_object()["bucketName"], boost::json::value("bucket"));
  EXPECT_EQ(put["requestParameters"].as_object()["key"], boost::json::value("key"));
  EXPECT_EQ(put["additionalEventData"].as_object()["bytesTransferredIn"], boost::json::value(10));
  EXPECT_FALSE(put.contains("errorCode"));

  auto& range = records[1];
  EXPECT_EQ(range["errorCode"], boost::json::value("InvalidRange"));
  EXPECT_FALSE(range["errorMessage"].as_string().empty());

  auto& denied = records[2];
  EXPECT_EQ(denied["errorCode"], boost::json::value("AccessDenied"));
  EXPECT_EQ(denied["errorMessage"], boost::json::value("Access Denied"));
  EXPECT_EQ(denied["userIdentity"].as_object()["accountId"], boost::json::value("anonymous"));

  EXPECT_EQ(records[3]["additionalEventData"].as_object()["bytesTransferredOut"],
            boost::json::value(10));
  EXPECT_EQ(records[3]["readOnly"], boost::json::value(true));
  EXPECT_NE(records[3]["eventID"], records[0]["eventID"]);
  EXPECT_NE(records[3]["requestID"], records[0]["requestID"]);
}


}  // namespace
}  // namespace kura::api
