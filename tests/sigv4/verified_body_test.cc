// VerifiedBody: the only way to a request body above the pipeline. Bytes come out decoded and
// are vouched for only at the end (summary set); limits and integrity failures are errors, and
// a pass-through body is received in place (the PUT hot path's one copy).
#include "sigv4/verified_body.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "test_signer.h"
#include "tests/support/memory_exchange.h"

namespace kura::sigv4 {
namespace {

using kura::testing::PiecewiseBody;
using kura::testing::RunToEnd;
using testing_support::OwnedRequest;

// An AppendTarget over a string that hands out its own staging memory, like a file writer.
class StringTarget final : public AppendTarget {
 public:
  Result<void> Append(std::string_view bytes) override {
    bytes_.append(bytes);
    return Ok();
  }
  Result<std::span<char>> PrepareAppend() override {
    staging_.resize(4096);
    ++prepared_;
    return std::span<char>(staging_);
  }
  Result<void> CommitAppend(size_t n) override { return Append(std::string_view(staging_.data(), n)); }
  uint64_t size() const override { return bytes_.size(); }

  const std::string& bytes() const { return bytes_; }
  int prepared() const { return prepared_; }

 private:
  std::string bytes_, staging_;
  int prepared_ = 0;
};

AuthResult Unsigned() {
  AuthResult auth;
  auth.type = AuthType::kHeader;
  auth.payload_mode = PayloadMode::kUnsigned;
  return auth;
}

TEST(VerifiedBody, ReadAllReturnsTheBodyAndItsSummaryOnlyAtTheEnd) {
  std::string data(10000, 'x');
  PiecewiseBody source(data);
  AuthResult auth = Unsigned();
  OwnedRequest request;
  RequestView view = request.View();
  VerifiedBody body(source, auth, view, data.size());
  EXPECT_EQ(body.summary(), nullptr);
  auto all = RunToEnd(body.ReadAll(1 << 20, MakeError(ErrorCode::kMalformedXML)));
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, data);
  ASSERT_NE(body.summary(), nullptr);
  EXPECT_EQ(body.summary()->md5, Md5(data));
  EXPECT_FALSE(body.overflowed());
}

TEST(VerifiedBody, ReadAllPastTheLimitIsTheCallersErrorAndMarksTheBodyOverflowed) {
  std::string data(5000, 'x');
  PiecewiseBody source(data);
  AuthResult auth = Unsigned();
  OwnedRequest request;
  RequestView view = request.View();
  VerifiedBody body(source, auth, view, data.size());
  auto all = RunToEnd(body.ReadAll(100, MakeError(ErrorCode::kMalformedPolicy)));
  ASSERT_FALSE(all.has_value());
  EXPECT_EQ(all.error().code, ErrorCode::kMalformedPolicy);
  EXPECT_TRUE(body.overflowed());
  EXPECT_EQ(body.summary(), nullptr);
}

TEST(VerifiedBody, ASignedPayloadHashThatDoesNotMatchIsAnErrorNotBytes) {
  std::string data = "the body as sent";
  PiecewiseBody source(data);
  AuthResult auth = Unsigned();
  auth.payload_mode = PayloadMode::kSigned;
  auth.content_sha256 = Sha256Hex("the body as signed");
  OwnedRequest request;
  RequestView view = request.View();
  VerifiedBody body(source, auth, view, data.size());
  auto all = RunToEnd(body.ReadAll(1 << 20, MakeError(ErrorCode::kMalformedXML)));
  ASSERT_FALSE(all.has_value());
  EXPECT_EQ(all.error().code, ErrorCode::kXAmzContentSHA256Mismatch);
  EXPECT_EQ(body.summary(), nullptr);
}

TEST(VerifiedBody, ReceivesAPassThroughBodyInPlaceAboveTheThreshold) {
  std::string data(100000, 'y');
  PiecewiseBody source(data);
  AuthResult auth = Unsigned();
  OwnedRequest request;
  request.Set("Content-MD5", Base64Encode(Md5(data)));
  RequestView view = request.View();
  VerifiedBody body(source, auth, view, data.size());
  StringTarget target;
  ASSERT_TRUE(RunToEnd(body.ReadInto(target, 1 << 20, 65536)).has_value());
  EXPECT_EQ(target.bytes(), data);
  EXPECT_GT(source.in_place_reads(), 0u);
  EXPECT_GT(target.prepared(), 0);
  ASSERT_NE(body.summary(), nullptr);
  EXPECT_EQ(body.summary()->md5, Md5(data));
}

TEST(VerifiedBody, ReceivesASmallBodyByAppendingAndChecksContentMd5) {
  std::string data = "small";
  PiecewiseBody source(data);
  AuthResult auth = Unsigned();
  OwnedRequest request;
  request.Set("Content-MD5", Base64Encode(Md5("other")));
  RequestView view = request.View();
  VerifiedBody body(source, auth, view, data.size());
  StringTarget target;
  auto read = RunToEnd(body.ReadInto(target, 1 << 20, 65536));
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kBadDigest);
  EXPECT_EQ(source.in_place_reads(), 0u);
  EXPECT_EQ(body.summary(), nullptr);
}

TEST(VerifiedBody, ReadIntoPastTheLimitIsEntityTooLarge) {
  std::string data(100000, 'z');
  PiecewiseBody source(data);
  AuthResult auth = Unsigned();
  OwnedRequest request;
  RequestView view = request.View();
  VerifiedBody body(source, auth, view, data.size());
  StringTarget target;
  auto read = RunToEnd(body.ReadInto(target, 50000, 65536));
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kEntityTooLarge);
  EXPECT_TRUE(body.overflowed());
}

TEST(VerifiedBody, DecodesAwsChunkedFramingAndRefusesATruncatedBody) {
  AuthResult auth = Unsigned();
  auth.payload_mode = PayloadMode::kStreamingUnsignedTrailer;
  OwnedRequest request;
  request.Set("Content-Encoding", "aws-chunked");
  request.Set("x-amz-decoded-content-length", "11");
  RequestView view = request.View();
  std::string framed = "b\r\nhello world\r\n0\r\n\r\n";
  {
    PiecewiseBody source(framed, {1, 3, 7});
    VerifiedBody body(source, auth, view, framed.size());
    StringTarget target;
    ASSERT_TRUE(RunToEnd(body.ReadInto(target, 1 << 20, 0)).has_value());
    EXPECT_EQ(target.bytes(), "hello world");
    EXPECT_EQ(source.in_place_reads(), 0u);  // framing is decoded, never received in place
  }
  std::string truncated = framed.substr(0, framed.size() - 5);
  PiecewiseBody source(truncated);
  VerifiedBody body(source, auth, view, framed.size());
  StringTarget target;
  auto read = RunToEnd(body.ReadInto(target, 1 << 20, 0));
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kIncompleteBody);
  EXPECT_EQ(body.summary(), nullptr);
}

TEST(VerifiedBody, MalformedIntegrityHeadersAreReportedAtTheFirstReadNotBefore) {
  std::string data = "x";
  PiecewiseBody source(data);
  AuthResult auth = Unsigned();
  OwnedRequest request;
  request.Set("Content-MD5", "not base64");
  RequestView view = request.View();
  VerifiedBody body(source, auth, view, data.size());  // constructing never fails
  auto piece = RunToEnd(body.ReadPiece());
  ASSERT_FALSE(piece.has_value());
  EXPECT_EQ(piece.error().code, ErrorCode::kInvalidDigest);
}

}  // namespace
}  // namespace kura::sigv4
