#include "sigv4/verifier.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "test_signer.h"

namespace kura::sigv4 {
namespace {

using testing_support::FakeResolver;
using testing_support::Lower;
using testing_support::OwnedRequest;
using testing_support::Presign;
using testing_support::SignHeaders;
using testing_support::SignParams;

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

std::string Detail(const Error& error, std::string_view name) {
  for (const auto& [key, value] : error.details) {
    if (key == name) return value;
  }
  return "<absent>";
}

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() : clock_(*ParseAmzDate("20130524T000000Z")), verifier_(resolver_, clock_, "us-east-1") {
    resolver_.Add("AKIAIOSFODNN7EXAMPLE", std::string(kSecret));
    resolver_.Add("ASIATEMPORARYEXAMPLE", "temporarysecret", "the-session-token");
  }
  OwnedRequest S3Get() {
    OwnedRequest request;
    request.target = "/examplebucket/photos/a%20b.jpg?versionId=3";
    request.headers = {{"Host", "s3.amazonaws.com"}};
    return request;
  }
  Result<AuthResult> Verify(OwnedRequest& request) { return verifier_.Verify(request.View()); }
  // Signing as the temporary credentials the resolver knows (an ASIA key and its token).
  static SignParams SessionParams() {
    SignParams params;
    params.access_key_id = "ASIATEMPORARYEXAMPLE";
    params.secret = "temporarysecret";
    params.session_token = "the-session-token";
    return params;
  }

  FakeResolver resolver_;
  FakeClock clock_;
  Verifier verifier_;
};

TEST_F(VerifierTest, AcceptsAwsDocsGetObjectExample) {
  // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (GET Object)
  OwnedRequest request;
  request.target = "/test.txt";
  request.headers = {
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"Range", "bytes=0-9"},
      {"x-amz-content-sha256", std::string(kEmptySha256)},
      {"x-amz-date", "20130524T000000Z"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
       "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
       "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"}};
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->type, AuthType::kHeader);
  EXPECT_EQ(result->payload_mode, PayloadMode::kSigned);
  EXPECT_EQ(result->service, "s3");
  EXPECT_EQ(result->principal->arn, "arn:aws:iam::123456789012:user/alice");
}

TEST_F(VerifierTest, AcceptsAwsDocsPresignedUrlExample) {
  // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
  OwnedRequest request;
  request.target =
      "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524"
      "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
      "X-Amz-SignedHeaders=host&X-Amz-Signature="
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
  request.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->type, AuthType::kPresigned);
  EXPECT_EQ(result->payload_mode, PayloadMode::kUnsigned);
}

TEST_F(VerifierTest, AcceptsHeaderSignedS3RequestAndReportsScope) {
  OwnedRequest request = S3Get();
  std::string signature = SignHeaders(request, {}, std::string(kUnsignedPayload));
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(result->region, "us-east-1");
  EXPECT_EQ(result->payload_mode, PayloadMode::kUnsigned);
  EXPECT_EQ(result->content_sha256, "UNSIGNED-PAYLOAD");
  EXPECT_EQ(result->signing.seed_signature, signature);
  EXPECT_EQ(result->signing.scope, "20130524/us-east-1/s3/aws4_request");
  EXPECT_EQ(result->signing.amz_date, "20130524T000000Z");
  EXPECT_EQ(result->signed_at, clock_.Now());
  // The signing key cache gives the same answer the second time.
  EXPECT_TRUE(Verify(request).has_value());
}

TEST_F(VerifierTest, RejectsWrongSecretWithS3Diagnostics) {
  OwnedRequest request = S3Get();
  SignParams params;
  params.secret = "not-the-secret";
  std::string signature = SignHeaders(request, params, std::string(kEmptySha256));
  auto result = Verify(request);
  ASSERT_FALSE(result.has_value());
  const Error& error = result.error();
  EXPECT_EQ(error.code, ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(Detail(error, "AWSAccessKeyId"), "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(Detail(error, "SignatureProvided"), signature);
  EXPECT_TRUE(Detail(error, "StringToSign").starts_with("AWS4-HMAC-SHA256\n20130524T000000Z\n"));
  EXPECT_TRUE(Detail(error, "StringToSignBytes").starts_with("41 57 53 34 2d"));
  EXPECT_TRUE(Detail(error, "CanonicalRequest").starts_with("GET\n/examplebucket/photos/a%20b.jpg\n"));
  EXPECT_NE(Detail(error, "CanonicalRequestBytes"), "<absent>");
}

TEST_F(VerifierTest, PassesThroughUnknownAccessKey) {
  OwnedRequest request = S3Get();
  SignParams params;
  params.access_key_id = "AKIAUNKNOWN";
  SignHeaders(request, params, std::string(kEmptySha256));
  auto result = Verify(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidAccessKeyId);
}

TEST_F(VerifierTest, PassesSessionTokenToResolver) {
  OwnedRequest request = S3Get();
  SignParams params = SessionParams();
  SignHeaders(request, params, std::string(kEmptySha256));
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->session_token, "the-session-token");
  request.Set("x-amz-security-token", "another-token");
  auto bad = Verify(request);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidToken);
}

class RecordingUse final : public CredentialUse {
 public:
  struct Use {
    TimePoint when;
    std::string source_ip;
    std::string service;
    std::string region;
  };
  void Used(TimePoint when, std::string_view source_ip, std::string_view service,
            std::string_view region) const noexcept override {
    uses.push_back({when, std::string(source_ip), std::string(service), std::string(region)});
  }
  mutable std::vector<Use> uses;
};

TEST_F(VerifierTest, TellsTheCredentialOfEachRequestItAuthenticatesOnly) {
  auto use = std::make_shared<RecordingUse>();
  resolver_.SetUse(use);
  OwnedRequest request = S3Get();
  request.source_ip = "192.0.2.7";
  SignHeaders(request, SessionParams(), std::string(kEmptySha256));
  ASSERT_TRUE(Verify(request).has_value());
  ASSERT_EQ(use->uses.size(), 1u);
  EXPECT_EQ(use->uses[0].when, clock_.Now());
  EXPECT_EQ(use->uses[0].source_ip, "192.0.2.7");
  EXPECT_EQ(use->uses[0].service, "s3");
  EXPECT_EQ(use->uses[0].region, "us-east-1");
  // A signature that does not verify is no use of the credential.
  OwnedRequest forged = S3Get();
  SignParams params = SessionParams();
  params.secret = "not-the-secret";
  SignHeaders(forged, params, std::string(kEmptySha256));
  ASSERT_FALSE(Verify(forged).has_value());
  EXPECT_EQ(use->uses.size(), 1u);
}

TEST_F(VerifierTest, RejectsClockSkewBeyondFifteenMinutes) {
  OwnedRequest request = S3Get();
  SignHeaders(request, {}, std::string(kEmptySha256));
  clock_.Advance(std::chrono::minutes(15));
  EXPECT_TRUE(Verify(request).has_value());
  clock_.Advance(std::chrono::seconds(1));
  auto result = Verify(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kRequestTimeTooSkewed);
  EXPECT_EQ(Detail(result.error(), "RequestTime"), "20130524T000000Z");
  EXPECT_EQ(Detail(result.error(), "ServerTime"), "2013-05-24T00:15:01Z");
  EXPECT_EQ(Detail(result.error(), "MaxAllowedSkewMilliseconds"), "900000");
  clock_.Set(*ParseAmzDate("20130523T234400Z"));
  EXPECT_EQ(Verify(request).error().code, ErrorCode::kRequestTimeTooSkewed);
}

TEST_F(VerifierTest, RequiresAValidDate) {
  OwnedRequest request = S3Get();
  SignHeaders(request, {}, std::string(kEmptySha256));
  request.Remove("x-amz-date");
  auto result = Verify(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(result.error().message, "AWS authentication requires a valid Date or x-amz-date header");
}

TEST_F(VerifierTest, RequiresContentSha256ForS3HeaderAuth) {
  OwnedRequest request = S3Get();
  SignHeaders(request, {}, std::string(kEmptySha256));
  request.Remove("x-amz-content-sha256");
  auto result = Verify(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(result.error().message,
            "Missing required header for this request: x-amz-content-sha256");
}

TEST_F(VerifierTest, RejectsInvalidContentSha256Value) {
  OwnedRequest request = S3Get();
  SignHeaders(request, {}, "not-a-hash");
  EXPECT_EQ(Verify(request).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(VerifierTest, RejectsS3ScopeForAnotherRegion) {
  OwnedRequest request = S3Get();
  SignParams params;
  params.region = "eu-west-1";
  SignHeaders(request, params, std::string(kEmptySha256));
  auto result = Verify(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kAuthorizationHeaderMalformed);
  EXPECT_EQ(result.error().message,
            "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting "
            "'us-east-1'");
}

TEST_F(VerifierTest, AcceptsIamRequestSignedForAnyRegionWithBodyHash) {
  OwnedRequest request;
  request.method = "POST";
  request.headers = {{"Host", "iam.amazonaws.com"},
                     {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  request.body = "Action=ListUsers&Version=2010-05-08";
  request.with_body = true;
  auto use = std::make_shared<RecordingUse>();
  resolver_.SetUse(use);
  SignParams params;
  params.service = "iam";
  params.region = "eu-central-1";
  SignHeaders(request, params, Sha256Hex(request.body));
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->service, "iam");
  EXPECT_EQ(result->region, "eu-central-1");
  // The credential is told the service and region the request was signed for.
  ASSERT_EQ(use->uses.size(), 1u);
  EXPECT_EQ(use->uses[0].service, "iam");
  EXPECT_EQ(use->uses[0].region, "eu-central-1");
  EXPECT_EQ(result->payload_mode, PayloadMode::kEmptyOrUnknown);
  request.body = "Action=DeleteUser&Version=2010-05-08";
  EXPECT_EQ(Verify(request).error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(VerifierTest, RejectsScopeDateDifferentFromRequestDate) {
  OwnedRequest request = S3Get();
  SignHeaders(request, {}, std::string(kEmptySha256));
  std::string auth(request.View().Header("authorization"));
  auth.replace(auth.find("20130524"), 8, "20130523");
  request.Set("Authorization", auth);
  auto result = Verify(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kAuthorizationHeaderMalformed);
  EXPECT_NE(result.error().message.find("Invalid credential date \"20130523\""), std::string::npos);
}

TEST_F(VerifierTest, RequiresHostAndAllXAmzHeadersToBeSigned) {
  OwnedRequest request = S3Get();
  SignHeaders(request, {}, std::string(kEmptySha256));
  request.Set("x-amz-meta-extra", "1");
  auto unsigned_meta = Verify(request);
  ASSERT_FALSE(unsigned_meta.has_value());
  EXPECT_EQ(unsigned_meta.error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(Detail(unsigned_meta.error(), "HeadersNotSigned"), "x-amz-meta-extra");

  OwnedRequest no_host = S3Get();
  SignHeaders(no_host, {}, std::string(kEmptySha256));
  std::string auth(no_host.View().Header("authorization"));
  auth.replace(auth.find("host;"), 5, "");
  no_host.Set("Authorization", auth);
  auto result = Verify(no_host);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(Detail(result.error(), "HeadersNotSigned"), "host");
}

TEST_F(VerifierTest, HeaderAuthMayLeaveContentSha256UnsignedButNotChangeIt) {
  OwnedRequest request = S3Get();
  SignHeaders(request, {}, std::string(kEmptySha256), {"x-amz-content-sha256"});
  ASSERT_EQ(request.View().Header("authorization").find("x-amz-content-sha256"),
            std::string_view::npos);
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->payload_mode, PayloadMode::kSigned);

  request.Set("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
  EXPECT_EQ(Verify(request).error().code, ErrorCode::kSignatureDoesNotMatch);
}

// The holder of a presigned upload link must not add what its signer did not choose: a copy
// source (reading any object the signer can read), tags, metadata, storage class, SSE.
TEST_F(VerifierTest, RefusesUnsignedXAmzHeadersOnPresignedRequests) {
  OwnedRequest request = S3Get();
  request.method = "PUT";
  Presign(request, {}, 3600);
  ASSERT_TRUE(Verify(request).has_value());
  request.Set("X-Amz-Copy-Source", "/shop/private/payroll.csv");
  request.Set("x-amz-tagging", "a=b");
  request.Set("x-amz-meta-who", "me");
  auto result = Verify(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(result.error().message,
            "There were headers present in the request which were not signed");
  EXPECT_EQ(Detail(result.error(), "HeadersNotSigned"),
            "x-amz-copy-source, x-amz-tagging, x-amz-meta-who");

  OwnedRequest get = S3Get();
  Presign(get, {}, 3600);
  get.Set("x-amz-server-side-encryption-customer-algorithm", "AES256");
  EXPECT_EQ(Detail(Verify(get).error(), "HeadersNotSigned"),
            "x-amz-server-side-encryption-customer-algorithm");
}

TEST_F(VerifierTest, AcceptsPresignedXAmzHeadersThatWereSigned) {
  OwnedRequest request = S3Get();
  request.method = "PUT";
  request.Set("x-amz-meta-who", "me");
  request.Set("x-amz-tagging", "a=b");
  Presign(request, {}, 3600, {"x-amz-meta-who", "x-amz-tagging"});
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  request.Set("x-amz-meta-who", "someone else");
  EXPECT_EQ(Verify(request).error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(VerifierTest, PresignedRequestMayCarryUnsignedTraceIdAndContentSha256) {
  OwnedRequest request = S3Get();
  Presign(request, {}, 3600);
  request.Set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793");
  request.Set("x-amz-content-sha256", std::string(kUnsignedPayload));
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->payload_mode, PayloadMode::kUnsigned);
}

// x-amz-content-sha256 is the payload hash of the canonical request: an unsigned value other
// than the signer's cannot switch a presigned URL to aws-chunked or to a hash of its choosing.
TEST_F(VerifierTest, UnsignedContentSha256CannotChangeThePresignedPayloadMode) {
  for (const std::string& mode : std::vector<std::string>{
           "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
           "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", std::string(kEmptySha256)}) {
    OwnedRequest request = S3Get();
    request.method = "PUT";
    Presign(request, {}, 3600);
    request.Set("x-amz-content-sha256", mode);
    auto result = Verify(request);
    ASSERT_FALSE(result.has_value()) << mode;
    EXPECT_EQ(result.error().code, ErrorCode::kSignatureDoesNotMatch) << mode;
  }
}

TEST_F(VerifierTest, RefusesARepeatedPresignedParameter) {
  OwnedRequest valid = S3Get();
  SignParams params = SessionParams();
  Presign(valid, params, 3600);
  ASSERT_TRUE(Verify(valid).has_value());
  for (std::string name : {"X-Amz-Signature", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
                           "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token"}) {
    OwnedRequest request = valid;
    size_t at = request.target.find(name + "=");
    size_t end = request.target.find('&', at);
    request.target += "&" + request.target.substr(at, end - at);
    auto result = Verify(request);
    ASSERT_FALSE(result.has_value()) << name;
    EXPECT_EQ(result.error().code, ErrorCode::kAuthorizationQueryParametersError) << name;
    EXPECT_EQ(result.error().message, name + " must appear only once");
  }
}

TEST_F(VerifierTest, RefusesARepeatedAuthenticationHeader) {
  for (std::string name :
       {"Authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"}) {
    OwnedRequest request = S3Get();
    SignParams params = SessionParams();
    SignHeaders(request, params, std::string(kEmptySha256));
    ASSERT_TRUE(Verify(request).has_value());
    request.headers.emplace_back(name, std::string(request.View().Header(Lower(name))));
    auto result = Verify(request);
    ASSERT_FALSE(result.has_value()) << name;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << name;
  }
}

TEST_F(VerifierTest, ReportsMalformedAuthorizationHeaders) {
  const std::pair<std::string, ErrorCode> cases[] = {
      {"AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host",
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3, SignedHeaders=host, Signature=x",
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=AKID/2013052/us-east-1/s3/aws4_request, SignedHeaders=host, "
       "Signature=x",
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=, "
       "Signature=x",
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256", ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS AKIAIOSFODNN7EXAMPLE", ErrorCode::kInvalidArgument},  // SigV2 without a signature
      {"Bearer abc", ErrorCode::kInvalidArgument},
  };
  for (const auto& [value, code] : cases) {
    OwnedRequest request = S3Get();
    request.Set("x-amz-date", "20130524T000000Z");
    request.Set("Authorization", value);
    auto result = Verify(request);
    ASSERT_FALSE(result.has_value()) << value;
    EXPECT_EQ(result.error().code, code) << value;
    EXPECT_FALSE(result.error().message.empty());
  }
  OwnedRequest terminal = S3Get();
  terminal.Set("x-amz-date", "20130524T000000Z");
  terminal.Set("Authorization",
               "AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_reques, "
               "SignedHeaders=host, Signature=x");
  EXPECT_EQ(Verify(terminal).error().message,
            "The authorization header is malformed; incorrect terminal \"aws4_reques\". This "
            "endpoint uses \"aws4_request\".");
}

TEST_F(VerifierTest, TreatsUnsignedRequestAsAnonymous) {
  OwnedRequest request = S3Get();
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->type, AuthType::kAnonymous);
  ASSERT_NE(result->principal, nullptr);
  EXPECT_TRUE(result->principal->IsAnonymous());
}

TEST_F(VerifierTest, RejectsHeaderAndQueryAuthTogether) {
  OwnedRequest request = S3Get();
  Presign(request, {}, 3600);
  SignHeaders(request, {}, std::string(kEmptySha256));
  EXPECT_EQ(Verify(request).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(VerifierTest, AcceptsPresignedUrlUntilItExpires) {
  OwnedRequest request = S3Get();
  Presign(request, {}, 3600);
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->type, AuthType::kPresigned);
  EXPECT_EQ(result->payload_mode, PayloadMode::kUnsigned);
  clock_.Advance(std::chrono::seconds(3600));
  EXPECT_TRUE(Verify(request).has_value());
  clock_.Advance(std::chrono::seconds(1));
  auto expired = Verify(request);
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(expired.error().message, "Request has expired");
  EXPECT_EQ(Detail(expired.error(), "X-Amz-Expires"), "3600");
  EXPECT_EQ(Detail(expired.error(), "Expires"), "2013-05-24T01:00:00Z");
  EXPECT_EQ(Detail(expired.error(), "ServerTime"), "2013-05-24T01:00:01Z");
}

TEST_F(VerifierTest, RejectsPresignedUrlFromTheFuture) {
  OwnedRequest request = S3Get();
  Presign(request, {}, 3600);
  clock_.Set(*ParseAmzDate("20130523T234000Z"));
  auto result = Verify(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "Request is not valid yet");
}

TEST_F(VerifierTest, RejectsPresignedExpiryLongerThanAWeek) {
  OwnedRequest request = S3Get();
  Presign(request, {}, 604801);
  auto result = Verify(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kAuthorizationQueryParametersError);
  EXPECT_EQ(result.error().message,
            "X-Amz-Expires must be less than a week (in seconds) that is 604800");
  OwnedRequest week = S3Get();
  Presign(week, {}, 604800);
  EXPECT_TRUE(Verify(week).has_value());
}

TEST_F(VerifierTest, ReportsMissingOrBadPresignedParameters) {
  OwnedRequest missing = S3Get();
  missing.target += "&X-Amz-Algorithm=AWS4-HMAC-SHA256";
  EXPECT_EQ(Verify(missing).error().code, ErrorCode::kAuthorizationQueryParametersError);

  OwnedRequest tampered = S3Get();
  Presign(tampered, {}, 3600);
  tampered.target.replace(tampered.target.find("versionId=3"), 11, "versionId=4");
  EXPECT_EQ(Verify(tampered).error().code, ErrorCode::kSignatureDoesNotMatch);

  OwnedRequest region = S3Get();
  SignParams params;
  params.region = "us-west-2";
  Presign(region, params, 3600);
  EXPECT_EQ(Verify(region).error().message,
            "Error parsing the X-Amz-Credential parameter; the region 'us-west-2' is wrong; "
            "expecting 'us-east-1'");
}

TEST_F(VerifierTest, AcceptsPresignedUrlWithSessionToken) {
  OwnedRequest request = S3Get();
  SignParams params = SessionParams();
  Presign(request, params, 60);
  auto result = Verify(request);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->session_token, "the-session-token");
}

}  // namespace
}  // namespace kura::sigv4

namespace kura::sigv4 {
namespace {

// Found by sigv4_authorization_fuzz: a year outside TimePoint's range overflowed (UBSan).
TEST(VerifierRegression, RejectsPresignedDateOutsideRepresentableYears) {
  testing_support::FakeResolver resolver;
  FakeClock clock(*ParseAmzDate("20130524T000000Z"));
  Verifier verifier(resolver, clock, "us-east-1");
  testing_support::OwnedRequest request;
  request.target =
      "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F13020524%2Fus-east-1%2Fs3"
      "%2Faws4_request&X-Amz-Date=13020524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
      "&X-Amz-Signature=00";
  request.headers = {{"Host", "h"}};
  auto result = verifier.Verify(request.View());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kAuthorizationQueryParametersError);
}

}  // namespace
}  // namespace kura::sigv4
