#include "sigv4/payload_verifier.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "test_signer.h"

namespace kura::sigv4 {
namespace {

using testing_support::FakeResolver;
using testing_support::OwnedRequest;

constexpr std::string_view kDocsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kDocsSeed =
    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

AuthResult SignedAuth(PayloadMode mode, std::string_view seed = kDocsSeed) {
  AuthResult auth;
  auth.type = AuthType::kHeader;
  auth.payload_mode = mode;
  auth.signing.signing_key = DeriveSigningKey(Secret(std::string(kDocsSecret)), "20130524",
                                              "us-east-1", "s3");
  auth.signing.amz_date = "20130524T000000Z";
  auth.signing.scope = "20130524/us-east-1/s3/aws4_request";
  auth.signing.seed_signature = seed;
  return auth;
}

std::string Hex(uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(n));
  return buf;
}

// Builds an aws-chunked body; signs chunks (and trailers) when `auth` has a signing key.
std::string ChunkedBody(const AuthResult& auth, const std::vector<std::string>& chunks,
                        const std::vector<std::pair<std::string, std::string>>& trailers = {}) {
  bool sign = !auth.signing.signing_key.empty();
  std::string previous = auth.signing.seed_signature;
  std::string body;
  auto sign_with = [&](std::string_view kind, std::string_view tail) {
    std::string sts = std::string(kind) + "\n" + auth.signing.amz_date + "\n" +
                      auth.signing.scope + "\n" + previous + "\n" + std::string(tail);
    previous = SignatureHex(auth.signing.signing_key, sts);
    return previous;
  };
  std::vector<std::string> all = chunks;
  all.push_back("");
  for (const std::string& chunk : all) {
    body += Hex(chunk.size());
    if (sign) {
      body += ";chunk-signature=" +
              sign_with("AWS4-HMAC-SHA256-PAYLOAD",
                        std::string(kEmptySha256) + "\n" + Sha256Hex(chunk));
    }
    body += "\r\n";
    if (!chunk.empty()) body += chunk + "\r\n";
  }
  std::string canonical;
  for (const auto& [name, value] : trailers) {
    body += name + ":" + value + "\r\n";
    canonical += name + ":" + value + "\n";
  }
  if (sign && auth.payload_mode == PayloadMode::kStreamingSignedTrailer) {
    body += "x-amz-trailer-signature:" +
            sign_with("AWS4-HMAC-SHA256-TRAILER", Sha256Hex(canonical)) + "\r\n";
  }
  body += "\r\n";
  return body;
}

struct Outcome {
  Result<PayloadSummary> summary;
  std::string decoded;
};

// Feeds `body` in pieces of `step` bytes; returns Finish's result (or the first Feed error).
Outcome FeedAll(const AuthResult& auth, OwnedRequest& request, std::string_view body,
            size_t step = 1 << 20) {
  auto verifier = PayloadVerifier::Make(auth, request.View());
  if (!verifier) return {verifier.error(), ""};
  std::string decoded;
  for (size_t pos = 0; pos < body.size(); pos += step) {
    std::vector<std::string_view> out;
    auto fed = verifier->Feed(body.substr(pos, step), out);
    if (!fed) return {fed.error(), decoded};
    for (std::string_view piece : out) decoded.append(piece);
  }
  return {verifier->Finish(), decoded};
}

OwnedRequest Streaming(uint64_t decoded_length) {
  OwnedRequest request;
  request.method = "PUT";
  request.headers = {{"Content-Encoding", "aws-chunked"},
                     {"x-amz-decoded-content-length", std::to_string(decoded_length)}};
  return request;
}

TEST(PayloadVerifier, VerifierYieldsAwsDocsSeedSignatureForChunkedPut) {
  // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
  FakeResolver resolver;
  resolver.Add("AKIAIOSFODNN7EXAMPLE", std::string(kDocsSecret));
  FakeClock clock(*ParseAmzDate("20130524T000000Z"));
  Verifier verifier(resolver, clock, "us-east-1");
  OwnedRequest request;
  request.method = "PUT";
  request.target = "/examplebucket/chunkObject.txt";
  request.headers = {
      {"Host", "s3.amazonaws.com"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
       "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
       "x-amz-decoded-content-length;x-amz-storage-class,Signature=" + std::string(kDocsSeed)},
      {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
      {"Content-Encoding", "aws-chunked"},
      {"x-amz-decoded-content-length", "66560"},
      {"Content-Length", "66824"}};
  auto auth = verifier.Verify(request.View());
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->payload_mode, PayloadMode::kStreamingSigned);
  EXPECT_EQ(auth->signing.seed_signature, kDocsSeed);

  // The docs' body: 64 KiB of 'a', 1 KiB of 'a', the final chunk.
  std::string body =
      "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
      std::string(65536, 'a') + "\r\n" +
      "400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
      std::string(1024, 'a') + "\r\n" +
      "0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n";
  EXPECT_EQ(body.size(), 66824u);
  Outcome outcome = FeedAll(*auth, request, body, 1000);
  ASSERT_TRUE(outcome.summary.has_value()) << outcome.summary.error().message;
  EXPECT_EQ(outcome.summary->decoded_length, 66560u);
  EXPECT_EQ(outcome.decoded, std::string(66560, 'a'));
  EXPECT_EQ(outcome.summary->md5, Md5(outcome.decoded));
}

TEST(PayloadVerifier, AcceptsAwsDocsFirstChunkAndReportsTruncation) {
  OwnedRequest request = Streaming(66560);
  std::string first =
      "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
      std::string(65536, 'a') + "\r\n";
  Outcome outcome = FeedAll(SignedAuth(PayloadMode::kStreamingSigned), request, first);
  ASSERT_FALSE(outcome.summary.has_value());
  EXPECT_EQ(outcome.summary.error().code, ErrorCode::kIncompleteBody);
  EXPECT_EQ(outcome.decoded.size(), 65536u);
}

TEST(PayloadVerifier, DecodesSignedChunksSplitAtEveryByte) {
  AuthResult auth = SignedAuth(PayloadMode::kStreamingSigned);
  std::string a(8192, 'x'), b = "the last chunk";
  std::string body = ChunkedBody(auth, {a, b});
  OwnedRequest request = Streaming(a.size() + b.size());
  for (size_t step : {size_t{1}, size_t{2}, size_t{7}, size_t{64}, size_t{8199}, body.size()}) {
    Outcome outcome = FeedAll(auth, request, body, step);
    ASSERT_TRUE(outcome.summary.has_value()) << step << ": " << outcome.summary.error().message;
    EXPECT_EQ(outcome.decoded, a + b) << step;
  }
}

TEST(PayloadVerifier, RejectsTamperedChunkDataOrSignature) {
  AuthResult auth = SignedAuth(PayloadMode::kStreamingSigned);
  std::string body = ChunkedBody(auth, {std::string(9000, 'x')});
  OwnedRequest request = Streaming(9000);
  std::string data_tampered = body;
  data_tampered[200] = 'y';
  EXPECT_EQ(FeedAll(auth, request, data_tampered).summary.error().code,
            ErrorCode::kSignatureDoesNotMatch);
  std::string sig_tampered = body;
  sig_tampered[30] = sig_tampered[30] == '0' ? '1' : '0';
  EXPECT_EQ(FeedAll(auth, request, sig_tampered).summary.error().code,
            ErrorCode::kSignatureDoesNotMatch);
  AuthResult other_seed = SignedAuth(PayloadMode::kStreamingSigned, std::string(64, 'f'));
  EXPECT_EQ(FeedAll(other_seed, request, body).summary.error().code,
            ErrorCode::kSignatureDoesNotMatch);
}

TEST(PayloadVerifier, RejectsGarbageFramingAndOversizedChunks) {
  AuthResult auth = SignedAuth(PayloadMode::kStreamingSigned);
  OwnedRequest request = Streaming(10);
  for (std::string body : {std::string("zz;chunk-signature=00\r\n"), std::string("10\n"),
                           std::string(5000, '1'), std::string("a;chunk-signature=short\r\n")}) {
    Outcome outcome = FeedAll(auth, request, body);
    ASSERT_FALSE(outcome.summary.has_value());
    EXPECT_EQ(outcome.summary.error().code, ErrorCode::kInvalidRequest) << body.substr(0, 30);
  }
  std::string huge = "8000000;chunk-signature=" + std::string(64, '0') + "\r\n";
  EXPECT_EQ(FeedAll(auth, request, huge).summary.error().code, ErrorCode::kInvalidRequest);
  std::string after = ChunkedBody(auth, {"0123456789"}) + "extra";
  EXPECT_EQ(FeedAll(auth, request, after).summary.error().code, ErrorCode::kInvalidRequest);
}

TEST(PayloadVerifier, RejectsSmallNonFinalSignedChunk) {
  AuthResult auth = SignedAuth(PayloadMode::kStreamingSigned);
  OwnedRequest request = Streaming(20);
  Outcome outcome = FeedAll(auth, request, ChunkedBody(auth, {"0123456789", "0123456789"}));
  ASSERT_FALSE(outcome.summary.has_value());
  EXPECT_EQ(outcome.summary.error().code, ErrorCode::kInvalidChunkSizeError);
}

TEST(PayloadVerifier, ChecksDecodedContentLength) {
  AuthResult auth = SignedAuth(PayloadMode::kStreamingSigned);
  std::string body = ChunkedBody(auth, {"0123456789"});
  OwnedRequest shorter = Streaming(11);
  EXPECT_EQ(FeedAll(auth, shorter, body).summary.error().code, ErrorCode::kIncompleteBody);
  OwnedRequest longer = Streaming(9);
  EXPECT_EQ(FeedAll(auth, longer, body).summary.error().code, ErrorCode::kInvalidRequest);
  OwnedRequest missing;
  EXPECT_EQ(FeedAll(auth, missing, body).summary.error().code, ErrorCode::kMissingContentLength);
}

TEST(PayloadVerifier, VerifiesUnsignedTrailerChecksum) {
  AuthResult auth;
  auth.type = AuthType::kHeader;
  auth.payload_mode = PayloadMode::kStreamingUnsignedTrailer;
  std::string data = "hello trailer";
  std::string good = ChecksumBase64(ChecksumAlgorithm::kCrc32, data);
  OwnedRequest request = Streaming(data.size());
  request.Set("x-amz-trailer", "x-amz-checksum-crc32");
  Outcome ok = FeedAll(auth, request, ChunkedBody(auth, {data}, {{"x-amz-checksum-crc32", good}}), 3);
  ASSERT_TRUE(ok.summary.has_value()) << ok.summary.error().message;
  EXPECT_EQ(ok.summary->checksum_algorithm, ChecksumAlgorithm::kCrc32);
  EXPECT_EQ(ok.summary->checksum_base64, good);
  ASSERT_EQ(ok.summary->trailers.size(), 1u);

  Outcome bad = FeedAll(auth, request,
                    ChunkedBody(auth, {data}, {{"x-amz-checksum-crc32", "AAAAAA=="}}));
  ASSERT_FALSE(bad.summary.has_value());
  EXPECT_EQ(bad.summary.error().code, ErrorCode::kBadDigest);
  EXPECT_EQ(bad.summary.error().message,
            "The CRC32 you specified did not match the calculated checksum.");

  Outcome missing = FeedAll(auth, request, ChunkedBody(auth, {data}));
  EXPECT_EQ(missing.summary.error().code, ErrorCode::kMalformedTrailerError);
}

TEST(PayloadVerifier, VerifiesSignedTrailer) {
  AuthResult auth = SignedAuth(PayloadMode::kStreamingSignedTrailer);
  std::string data(10000, 'd');
  std::string crc = ChecksumBase64(ChecksumAlgorithm::kCrc32c, data);
  OwnedRequest request = Streaming(data.size());
  request.Set("x-amz-trailer", "x-amz-checksum-crc32c");
  std::string body = ChunkedBody(auth, {data}, {{"x-amz-checksum-crc32c", crc}});
  Outcome ok = FeedAll(auth, request, body, 5);
  ASSERT_TRUE(ok.summary.has_value()) << ok.summary.error().message;
  EXPECT_EQ(ok.summary->checksum_base64, crc);

  std::string tampered = body;
  size_t at = tampered.find("x-amz-checksum-crc32c:") + 22;
  tampered.replace(at, crc.size(), ChecksumBase64(ChecksumAlgorithm::kCrc32c, "other"));
  EXPECT_EQ(FeedAll(auth, request, tampered).summary.error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST(PayloadVerifier, ChecksSignedPayloadSha256) {
  std::string data = "signed payload";
  AuthResult auth;
  auth.type = AuthType::kHeader;
  auth.payload_mode = PayloadMode::kSigned;
  auth.content_sha256 = Sha256Hex(data);
  OwnedRequest request;
  Outcome ok = FeedAll(auth, request, data, 4);
  ASSERT_TRUE(ok.summary.has_value());
  EXPECT_EQ(ok.summary->md5, Md5(data));
  EXPECT_EQ(ok.summary->decoded_length, data.size());
  Outcome bad = FeedAll(auth, request, "signed pay1oad");
  ASSERT_FALSE(bad.summary.has_value());
  EXPECT_EQ(bad.summary.error().code, ErrorCode::kXAmzContentSHA256Mismatch);
  EXPECT_EQ(bad.summary.error().details.at(0).second, Sha256Hex(data));
  EXPECT_EQ(bad.summary.error().details.at(1).first, "S3ComputedContentSHA256");
}

TEST(PayloadVerifier, ChecksContentMd5AndChecksumHeaders) {
  AuthResult auth;
  auth.payload_mode = PayloadMode::kUnsigned;
  std::string data = "body bytes";
  OwnedRequest md5;
  md5.Set("Content-MD5", Base64Encode(Md5(data)));
  EXPECT_TRUE(FeedAll(auth, md5, data).summary.has_value());
  EXPECT_EQ(FeedAll(auth, md5, "other").summary.error().code, ErrorCode::kBadDigest);
  md5.Set("Content-MD5", "not base64");
  EXPECT_EQ(FeedAll(auth, md5, data).summary.error().code, ErrorCode::kInvalidDigest);

  OwnedRequest crc;
  crc.Set("x-amz-checksum-crc64nvme", ChecksumBase64(ChecksumAlgorithm::kCrc64Nvme, data));
  auto ok = FeedAll(auth, crc, data);
  ASSERT_TRUE(ok.summary.has_value());
  EXPECT_EQ(ok.summary->checksum_algorithm, ChecksumAlgorithm::kCrc64Nvme);
  EXPECT_EQ(FeedAll(auth, crc, "other").summary.error().message,
            "The CRC64NVME you specified did not match the calculated checksum.");
  crc.Set("x-amz-checksum-sha1", ChecksumBase64(ChecksumAlgorithm::kSha1, data));
  EXPECT_EQ(FeedAll(auth, crc, data).summary.error().code, ErrorCode::kInvalidRequest);

  OwnedRequest malformed;
  malformed.Set("x-amz-checksum-crc32", "AAAA");
  EXPECT_EQ(FeedAll(auth, malformed, data).summary.error().code, ErrorCode::kInvalidRequest);

  OwnedRequest algorithm_only;
  algorithm_only.Set("x-amz-sdk-checksum-algorithm", "SHA256");
  auto computed = FeedAll(auth, algorithm_only, data);
  ASSERT_TRUE(computed.summary.has_value());
  EXPECT_EQ(computed.summary->checksum_base64, ChecksumBase64(ChecksumAlgorithm::kSha256, data));
}

}  // namespace
}  // namespace kura::sigv4
