// S3 handlers run through s3::Dispatch against the memory store, with an in-memory body and
// response (no sockets): a PUT's bytes come back from a GET, and a body that fails verification
// (signed hash, checksum, Content-MD5, truncated aws-chunked) reaches the handler as an error and
// leaves nothing stored.
#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "s3/bucket_policy_cache.h"
#include "s3/lifecycle_cache.h"
#include "s3/s3_call.h"
#include "sigv4/checksums.h"
#include "store/awaitable.h"
#include "store/memory/memory_blob_store.h"
#include "store/memory/memory_metadata_store.h"
#include "tests/s3/handler_harness.h"
#include "tests/sigv4/test_signer.h"
#include "tests/support/memory_exchange.h"

namespace kura::s3 {
namespace {

using kura::testing::MemoryResponse;
using kura::testing::PiecewiseBody;
using kura::testing::RunToEnd;

constexpr char kBucket[] = "bucket";

using Request = testing::HarnessRequest;
using Answer = testing::HarnessAnswer;

class S3Handlers : public testing::HandlerHarness {
 protected:
  S3Handlers() {
    EXPECT_TRUE(CreateBucket(kBucket).has_value());
    authorize_ = [this](std::string_view action, std::string_view) -> Result<void> {
      if (denied_actions_.count(std::string(action))) return MakeError(ErrorCode::kAccessDenied);
      return Ok();
    };
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

  std::set<std::string> denied_actions_;  // what the principal may not do (default: anything)
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

// --- Object Lock (object_lock.cc, object_lock_headers.cc) ---

class ObjectLockHandlers : public S3Handlers {
 protected:
  static constexpr char kLocked[] = "locked";

  ObjectLockHandlers() {
    store::BucketRecord bucket;
    bucket.name = kLocked;
    bucket.region = "us-east-1";
    bucket.versioning = store::VersioningState::kEnabled;
    bucket.object_lock_enabled = true;
    EXPECT_TRUE(RunToEnd(io_, store::StoreWrite<void>([&](auto done) {
      metadata_.CreateBucket(bucket, std::move(done));
    })));
  }

  // Writes version "v1" of locked/k straight into the store.
  void PutVersion(store::RetentionMode mode, TimePoint until, bool legal_hold = false) {
    store::ObjectRecord object;
    object.bucket = kLocked;
    object.key = "k";
    object.version_id = "v1";
    object.last_modified = clock_.Now();
    object.retention_mode = mode;
    object.retain_until = until;
    object.legal_hold = legal_hold;
    ASSERT_TRUE(RunToEnd(io_, store::StoreWrite<store::PutOutcome>([&](auto done) {
      metadata_.PutObject(object, {}, store::LockContext{clock_.Now()}, std::move(done));
    })));
  }

  // A PUT of an XML body with its Content-MD5, as the SDKs send the Object Lock operations.
  Answer PutXml(std::string target, std::string xml,
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = bhttp::verb::put;
    r.target = std::move(target);
    headers.emplace_back("content-md5", Base64Encode(Md5(xml)));
    r.headers = std::move(headers);
    r.body = std::move(xml);
    return Run(r);
  }

  Answer PutRetention(std::string_view mode, TimePoint until,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    return PutXml("/locked/k?retention",
                  "<Retention><Mode>" + std::string(mode) + "</Mode><RetainUntilDate>" +
                      FormatIso8601(until) + "</RetainUntilDate></Retention>",
                  std::move(headers));
  }

  static ErrorCode CodeOf(const Answer& answer) {
    return answer.result ? ErrorCode::kInternalError : answer.result.error().code;
  }
};

TEST_F(S3Handlers, CreateBucketWithObjectLockEnablesItAndVersioning) {
  Request r;
  r.method = bhttp::verb::put;
  r.target = "/new-locked";
  r.headers = {{"x-amz-bucket-object-lock-enabled", "true"}};
  ASSERT_TRUE(Run(r).result);
  auto bucket = metadata_.GetBucket("new-locked");
  ASSERT_TRUE(bucket);
  EXPECT_TRUE(bucket->object_lock_enabled);
  EXPECT_EQ(bucket->versioning, store::VersioningState::kEnabled);
  Request get;
  get.target = "/new-locked?object-lock";
  auto config = Run(get);
  ASSERT_TRUE(config.result);
  EXPECT_NE(config.response.sent_body.find("<ObjectLockEnabled>Enabled</ObjectLockEnabled>"),
            std::string::npos);
  get.target = std::string("/") + kBucket + "?object-lock";
  auto none = Run(get);
  ASSERT_FALSE(none.result);
  EXPECT_EQ(none.result.error().code, ErrorCode::kObjectLockConfigurationNotFound);
}

TEST_F(S3Handlers, PutObjectLockConfigurationNeedsContentMd5AndEnabledVersioning) {
  std::string xml =
      "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
      "</ObjectLockConfiguration>";
  Request r;
  r.method = bhttp::verb::put;
  r.target = std::string("/") + kBucket + "?object-lock";
  r.body = xml;
  auto no_md5 = Run(r);
  ASSERT_FALSE(no_md5.result);
  EXPECT_EQ(no_md5.result.error().code, ErrorCode::kInvalidRequest);
  r.headers = {{"content-md5", Base64Encode(Md5(xml))}};
  auto unversioned = Run(r);
  ASSERT_FALSE(unversioned.result);
  EXPECT_EQ(unversioned.result.error().code, ErrorCode::kInvalidBucketState);
  EXPECT_FALSE(metadata_.GetBucket(kBucket)->object_lock_enabled);
}

TEST_F(ObjectLockHandlers, PutObjectLockConfigurationStoresTheDefaultRetention) {
  auto put = PutXml("/locked?object-lock",
                    "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
                    "<DefaultRetention><Mode>COMPLIANCE</Mode><Years>2</Years></DefaultRetention>"
                    "</Rule></ObjectLockConfiguration>");
  ASSERT_TRUE(put.result) << put.result.error().message;
  EXPECT_EQ(metadata_.GetBucket(kLocked)->default_retention,
            (store::DefaultRetention{store::RetentionMode::kCompliance, 0, 2}));
}

TEST_F(ObjectLockHandlers, GovernanceIsShortenedOnlyWithTheBypassAndItsPermission) {
  PutVersion(store::RetentionMode::kGovernance, clock_.Now() + std::chrono::hours(2));
  TimePoint sooner = clock_.Now() + std::chrono::hours(1);
  EXPECT_EQ(CodeOf(PutRetention("GOVERNANCE", sooner)), ErrorCode::kAccessDenied);
  denied_actions_ = {"s3:BypassGovernanceRetention"};
  EXPECT_EQ(CodeOf(PutRetention("GOVERNANCE", sooner, {{"x-amz-bypass-governance-retention", "true"}})),
            ErrorCode::kAccessDenied);
  denied_actions_.clear();
  EXPECT_EQ(CodeOf(PutRetention("GOVERNANCE", sooner, {{"x-amz-bypass-governance-retention", "false"}})),
            ErrorCode::kAccessDenied);
  auto bypassed = PutRetention("GOVERNANCE", sooner, {{"x-amz-bypass-governance-retention", "true"}});
  ASSERT_TRUE(bypassed.result) << bypassed.result.error().message;
  EXPECT_EQ(metadata_.GetObjectMeta(kLocked, "k")->retain_until, sooner);
}

TEST_F(ObjectLockHandlers, ComplianceIsExtendedButNeverShortenedEvenWithTheBypass) {
  PutVersion(store::RetentionMode::kCompliance, clock_.Now() + std::chrono::hours(2));
  std::vector<std::pair<std::string, std::string>> bypass = {{"x-amz-bypass-governance-retention", "true"}};
  EXPECT_EQ(CodeOf(PutRetention("COMPLIANCE", clock_.Now() + std::chrono::hours(1), bypass)),
            ErrorCode::kAccessDenied);
  EXPECT_EQ(CodeOf(PutRetention("GOVERNANCE", clock_.Now() + std::chrono::hours(3), bypass)),
            ErrorCode::kAccessDenied);
  EXPECT_EQ(CodeOf(PutXml("/locked/k?retention", "<Retention/>", bypass)), ErrorCode::kAccessDenied);
  TimePoint later = clock_.Now() + std::chrono::hours(3);
  ASSERT_TRUE(PutRetention("COMPLIANCE", later).result);
  Request get;
  get.target = "/locked/k?retention";
  auto read = Run(get);
  ASSERT_TRUE(read.result);
  EXPECT_NE(read.response.sent_body.find("<RetainUntilDate>" + FormatIso8601(later)), std::string::npos);
  // A retention date in the past is refused before the store sees it.
  EXPECT_EQ(CodeOf(PutRetention("COMPLIANCE", clock_.Now() - std::chrono::hours(1))),
            ErrorCode::kInvalidArgument);
}

TEST_F(ObjectLockHandlers, DeleteWithoutVersionIdAddsADeleteMarkerOverALockedVersion) {
  PutVersion(store::RetentionMode::kCompliance, clock_.Now() + std::chrono::hours(2), true);
  Request del;
  del.method = bhttp::verb::delete_;
  del.target = "/locked/k";
  auto deleted = Run(del);
  ASSERT_TRUE(deleted.result) << deleted.result.error().message;
  EXPECT_EQ(std::string(deleted.response.sent_head->fields["x-amz-delete-marker"]), "true");
  auto kept = metadata_.GetObjectMeta(kLocked, "k", "v1");
  ASSERT_TRUE(kept);
  EXPECT_FALSE(kept->is_latest);
}

TEST_F(ObjectLockHandlers, LegalHoldIsSetReadAndCleared) {
  PutVersion(store::RetentionMode::kNone, {});
  Request get;
  get.target = "/locked/k?legal-hold";
  EXPECT_EQ(CodeOf(Run(get)), ErrorCode::kNoSuchObjectLockConfiguration);
  ASSERT_TRUE(PutXml("/locked/k?legal-hold", "<LegalHold><Status>ON</Status></LegalHold>").result);
  EXPECT_TRUE(metadata_.GetObjectMeta(kLocked, "k")->legal_hold);
  auto read = Run(get);
  ASSERT_TRUE(read.result);
  EXPECT_NE(read.response.sent_body.find("<Status>ON</Status>"), std::string::npos);
  ASSERT_TRUE(PutXml("/locked/k?legal-hold", "<LegalHold><Status>OFF</Status></LegalHold>").result);
  EXPECT_FALSE(metadata_.GetObjectMeta(kLocked, "k")->legal_hold);
}

TEST_F(ObjectLockHandlers, HeadShowsTheLockOnlyToWhoMayReadIt) {
  TimePoint until = clock_.Now() + std::chrono::hours(2);
  PutVersion(store::RetentionMode::kGovernance, until, true);
  Request head;
  head.method = bhttp::verb::head;
  head.target = "/locked/k";
  auto shown = Run(head);
  ASSERT_TRUE(shown.result) << shown.result.error().message;
  const auto& fields = shown.response.sent_head->fields;
  EXPECT_EQ(std::string(fields["x-amz-object-lock-mode"]), "GOVERNANCE");
  EXPECT_EQ(std::string(fields["x-amz-object-lock-retain-until-date"]), FormatIso8601(until));
  EXPECT_EQ(std::string(fields["x-amz-object-lock-legal-hold"]), "ON");
  denied_actions_ = {"s3:GetObjectRetention", "s3:GetObjectLegalHold"};
  auto hidden = Run(head);
  ASSERT_TRUE(hidden.result);
  EXPECT_EQ(hidden.response.sent_head->fields.count("x-amz-object-lock-mode"), 0u);
  EXPECT_EQ(hidden.response.sent_head->fields.count("x-amz-object-lock-legal-hold"), 0u);
}

TEST_F(ObjectLockHandlers, PutObjectWithLockHeadersNeedsContentMd5OrAChecksum) {
  std::vector<std::pair<std::string, std::string>> lock = {
      {"x-amz-object-lock-mode", "GOVERNANCE"},
      {"x-amz-object-lock-retain-until-date", FormatIso8601(clock_.Now() + std::chrono::hours(1))}};
  Request r;
  r.method = bhttp::verb::put;
  r.target = "/locked/new";
  r.body = "data";
  r.headers = lock;
  auto refused = Run(r);
  ASSERT_FALSE(refused.result);
  EXPECT_EQ(refused.result.error().code, ErrorCode::kInvalidRequest);
  EXPECT_NE(refused.result.error().message.find("Content-MD5 OR x-amz-checksum-"), std::string::npos);
  // On a bucket without Object Lock: refused whatever the integrity headers.
  r.target = std::string("/") + kBucket + "/new";
  r.headers.emplace_back("content-md5", Base64Encode(Md5("data")));
  auto no_lock = Run(r);
  ASSERT_FALSE(no_lock.result);
  EXPECT_EQ(no_lock.result.error().message, "Bucket is missing Object Lock Configuration");
  ExpectNothingStored("new");
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
