// Bucket default encryption against the memory store: the ServerSideEncryptionConfiguration
// document (what S3 accepts and refuses) and Put/Get/DeleteBucketEncryption through Dispatch,
// with the stored default as RequestedEncryption reads it.
#include "s3/bucket_encryption.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "common/crypto.h"
#include "common/encoding.h"
#include "tests/s3/handler_harness.h"

namespace kura::s3 {
namespace {

using Request = testing::HarnessRequest;
using Answer = testing::HarnessAnswer;

constexpr char kBucket[] = "bucket";

std::string Config(std::string_view rule) {
  return "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
         std::string(rule) + "</ServerSideEncryptionConfiguration>";
}

std::string Rule(std::string_view by_default, std::string_view extra = "") {
  return "<Rule><ApplyServerSideEncryptionByDefault>" + std::string(by_default) +
         "</ApplyServerSideEncryptionByDefault>" + std::string(extra) + "</Rule>";
}

ErrorCode ParseError(const std::string& body) {
  auto parsed = ParseServerSideEncryptionConfiguration(body);
  return parsed ? ErrorCode::kInternalError : parsed.error().code;
}

ErrorCode CodeOf(const Answer& answer) {
  return answer.result ? ErrorCode::kInternalError : answer.result.error().code;
}

TEST(ServerSideEncryptionConfiguration, ParsesSseS3AndSseKmsDefaults) {
  auto s3 =
      ParseServerSideEncryptionConfiguration(Config(Rule("<SSEAlgorithm>AES256</SSEAlgorithm>")));
  ASSERT_TRUE(s3.has_value()) << s3.error().message;
  EXPECT_EQ(*s3, ObjectEncryption{.mode = SseMode::kS3});
  auto kms = ParseServerSideEncryptionConfiguration(
      Config(Rule("<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/team</KMSMasterKeyID>",
                  "<BucketKeyEnabled>true</BucketKeyEnabled>")));
  ASSERT_TRUE(kms.has_value()) << kms.error().message;
  EXPECT_EQ(*kms,
            (ObjectEncryption{
                .mode = SseMode::kKms, .kms_key_id = "alias/team", .bucket_key_enabled = true}));
  // No key id: the AWS managed key aws/s3. Blocking nothing (NONE) is what kura does anyway.
  auto managed = ParseServerSideEncryptionConfiguration(
      Config(Rule("<SSEAlgorithm>aws:kms</SSEAlgorithm>",
                  "<BlockedEncryptionTypes><EncryptionType>NONE</EncryptionType>"
                  "</BlockedEncryptionTypes>")));
  ASSERT_TRUE(managed.has_value()) << managed.error().message;
  EXPECT_EQ(*managed, ObjectEncryption{.mode = SseMode::kKms});
}

TEST(ServerSideEncryptionConfiguration, RefusesWhatS3Refuses) {
  std::string aes = Rule("<SSEAlgorithm>AES256</SSEAlgorithm>");
  EXPECT_EQ(ParseError(Config("")), ErrorCode::kMalformedXML);
  EXPECT_EQ(ParseError(Config(aes + aes)), ErrorCode::kMalformedXML);
  EXPECT_EQ(ParseError(Config("<Rule></Rule>")), ErrorCode::kMalformedXML);
  EXPECT_EQ(ParseError(Config(Rule("<SSEAlgorithm>DES</SSEAlgorithm>"))), ErrorCode::kMalformedXML);
  EXPECT_EQ(ParseError(Config(Rule("<KMSMasterKeyID>k</KMSMasterKeyID>"))),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(ParseError("<Other>" + aes + "</Other>"), ErrorCode::kMalformedXML);
  EXPECT_EQ(ParseError(Config(Rule("<SSEAlgorithm>AES256</SSEAlgorithm>",
                                   "<BucketKeyEnabled>yes</BucketKeyEnabled>"))),
            ErrorCode::kMalformedXML);
  auto key_with_aes = ParseServerSideEncryptionConfiguration(
      Config(Rule("<SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID>")));
  ASSERT_FALSE(key_with_aes.has_value());
  EXPECT_EQ(key_with_aes.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      key_with_aes.error().details.at(0),
      (std::pair<std::string, std::string>("ArgumentName", "ApplyServerSideEncryptionByDefault")));
  EXPECT_EQ(ParseError(Config(Rule("<SSEAlgorithm>aws:kms:dsse</SSEAlgorithm>"))),
            ErrorCode::kNotImplemented);
  EXPECT_EQ(ParseError(Config(Rule("<SSEAlgorithm>AES256</SSEAlgorithm>",
                                   "<BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType>"
                                   "</BlockedEncryptionTypes>"))),
            ErrorCode::kNotImplemented);
}

TEST(ServerSideEncryptionConfiguration, RendersTheRuleAsS3Answers) {
  EXPECT_EQ(RenderServerSideEncryptionConfiguration(
                {.mode = SseMode::kKms, .kms_key_id = "alias/team", .bucket_key_enabled = true}),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
                Config(Rule("<SSEAlgorithm>aws:kms</SSEAlgorithm>"
                            "<KMSMasterKeyID>alias/team</KMSMasterKeyID>",
                            "<BucketKeyEnabled>true</BucketKeyEnabled>")));
  EXPECT_EQ(RenderServerSideEncryptionConfiguration({.mode = SseMode::kS3}),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
                Config(Rule("<SSEAlgorithm>AES256</SSEAlgorithm>",
                            "<BucketKeyEnabled>false</BucketKeyEnabled>")));
}

class BucketEncryption : public testing::HandlerHarness {
 protected:
  BucketEncryption() { EXPECT_TRUE(CreateBucket(kBucket).has_value()); }

  Answer Call(bhttp::verb method, std::string target, std::string body = "", bool with_md5 = true) {
    Request r;
    r.method = method;
    r.target = std::move(target);
    if (with_md5 && method == bhttp::verb::put) {
      r.headers.emplace_back("Content-MD5", Base64Encode(Md5(body)));
    }
    r.body = std::move(body);
    return Run(r);
  }
};

TEST_F(BucketEncryption, PutGetDeleteRoundTripAndNotFoundWhenUnset) {
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/bucket?encryption")),
            ErrorCode::kServerSideEncryptionConfigurationNotFoundError);
  std::string kms =
      Config(Rule("<SSEAlgorithm>aws:kms</SSEAlgorithm>"
                  "<KMSMasterKeyID>alias/team</KMSMasterKeyID>",
                  "<BucketKeyEnabled>true</BucketKeyEnabled>"));
  auto put = Call(bhttp::verb::put, "/bucket?encryption", kms);
  ASSERT_TRUE(put.result.has_value()) << put.result.error().message;
  EXPECT_EQ(put.response.response_status(), 200);
  auto get = Call(bhttp::verb::get, "/bucket?encryption");
  ASSERT_TRUE(get.result.has_value());
  EXPECT_NE(get.response.sent_body.find(kms), std::string::npos) << get.response.sent_body;

  // What the write path reads: a write naming no encryption takes this default.
  auto wanted = RequestedEncryption([](std::string_view) { return std::string_view(); },
                                    /*secure_transport=*/false, /*allow_plain_http=*/false,
                                    metadata_.GetBucket(kBucket)->encryption, kBucket, "k");
  ASSERT_TRUE(wanted.has_value());
  EXPECT_EQ(wanted->stored.mode, SseMode::kKms);
  EXPECT_EQ(wanted->stored.kms_key_id, "alias/team");
  EXPECT_TRUE(wanted->stored.bucket_key_enabled);

  for (int repeat = 0; repeat < 2; ++repeat) {  // S3 answers 204 to a repeated delete too
    auto deleted = Call(bhttp::verb::delete_, "/bucket?encryption");
    ASSERT_TRUE(deleted.result.has_value());
    EXPECT_EQ(deleted.response.response_status(), 204);
  }
  EXPECT_EQ(metadata_.GetBucket(kBucket)->encryption, "");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/bucket?encryption")),
            ErrorCode::kServerSideEncryptionConfigurationNotFoundError);
}

TEST_F(BucketEncryption, PutNeedsAnIntegrityHeaderAndAnExistingBucket) {
  std::string aes = Config(Rule("<SSEAlgorithm>AES256</SSEAlgorithm>"));
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bucket?encryption", aes, /*with_md5=*/false)),
            ErrorCode::kInvalidRequest);
  // The bucket is looked up before the body, as S3 does.
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/nope?encryption", "<x/>")), ErrorCode::kNoSuchBucket);
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/nope?encryption")), ErrorCode::kNoSuchBucket);
  EXPECT_EQ(CodeOf(Call(bhttp::verb::delete_, "/nope?encryption")), ErrorCode::kNoSuchBucket);
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bucket?encryption", "<x/>")), ErrorCode::kMalformedXML);
  EXPECT_EQ(metadata_.GetBucket(kBucket)->encryption, "");
}

}  // namespace
}  // namespace kura::s3
