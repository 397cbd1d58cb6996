#include "s3/honoured_headers.h"

#include <gtest/gtest.h>

#include <vector>

namespace kura::s3 {
namespace {

using kura::HeaderField;
constexpr std::string_view kAccount = "123456789012";

Result<void> Check(S3Operation op, std::vector<HeaderField> headers) {
  return CheckRequestHeaders(op, headers, kAccount);
}

std::string CodeOf(const Result<void>& result) {
  return result ? std::string("OK") : std::string(result.error().aws_code());
}

TEST(HonouredHeaders, AcceptsSigningAndPayloadPlumbingOnEveryOperation) {
  for (S3Operation op :
       {S3Operation::kGetObject, S3Operation::kPutObject, S3Operation::kListBuckets,
        S3Operation::kPutBucketPolicy, S3Operation::kDeleteObjects}) {
    EXPECT_TRUE(Check(op, {{"X-Amz-Date", "20240101T000000Z"},
                           {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
                           {"X-Amz-Security-Token", "t"},
                           {"x-amz-sdk-checksum-algorithm", "CRC32"},
                           {"x-amz-checksum-crc32", "AAAAAA=="},
                           {"x-amz-trailer", "x-amz-checksum-crc32"},
                           {"x-amz-decoded-content-length", "5"}}));
  }
}

TEST(HonouredHeaders, IgnoresHeadersOutsideTheAmzNamespace) {
  EXPECT_TRUE(Check(S3Operation::kGetObject, {{"Range", "bytes=0-1"}, {"X-Custom", "1"}}));
}

TEST(HonouredHeaders, RefusesAnUnknownAmzHeaderNamingIt) {
  auto result = Check(S3Operation::kPutObject, {{"x-amz-future-feature", "on"}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kNotImplemented);
  EXPECT_NE(result.error().message.find("x-amz-future-feature"), std::string::npos);
}

TEST(HonouredHeaders, RefusesAHeaderOnAnOperationThatDoesNotHonourIt) {
  EXPECT_EQ(CodeOf(Check(S3Operation::kPutObject, {{"x-amz-meta-a", "1"}})), "OK");
  EXPECT_EQ(CodeOf(Check(S3Operation::kGetObject, {{"x-amz-meta-a", "1"}})), "NotImplemented");
  EXPECT_EQ(CodeOf(Check(S3Operation::kUploadPartCopy, {{"x-amz-copy-source-range", "bytes=0-1"}})),
            "OK");
  EXPECT_EQ(CodeOf(Check(S3Operation::kCopyObject, {{"x-amz-copy-source-range", "bytes=0-1"}})),
            "NotImplemented");
}

TEST(HonouredHeaders, RefusesChecksumAlgorithmsThePayloadVerifierDoesNotKnow) {
  EXPECT_EQ(CodeOf(Check(S3Operation::kPutObject, {{"x-amz-checksum-sha256", "x"}})), "OK");
  EXPECT_EQ(CodeOf(Check(S3Operation::kPutObject, {{"x-amz-checksum-xxhash64", "x"}})),
            "NotImplemented");
  // On CompleteMultipartUpload it would be the whole object's checksum, which kura does not check.
  EXPECT_EQ(CodeOf(Check(S3Operation::kCompleteMultipartUpload, {{"x-amz-checksum-crc32", "x"}})),
            "NotImplemented");
  EXPECT_EQ(CodeOf(Check(S3Operation::kGetObject, {{"x-amz-checksum-mode", "ENABLED"}})), "OK");
}

// The handlers check the values (RequestedEncryption, CustomerKeyForRead); on a read or a part
// S3 answers 400 InvalidArgument ("… header is not supported for this operation").
TEST(HonouredHeaders, LeavesServerSideEncryptionToTheWritesThatHonourIt) {
  for (S3Operation op : {S3Operation::kPutObject, S3Operation::kCopyObject, S3Operation::kCreateMultipartUpload}) {
    for (std::string_view name : {"x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
                                  "x-amz-server-side-encryption-context",
                                  "x-amz-server-side-encryption-bucket-key-enabled"}) {
      EXPECT_EQ(CodeOf(Check(op, {{name, "x"}})), "OK") << name;
    }
  }
  EXPECT_EQ(CodeOf(Check(S3Operation::kUploadPart, {{"x-amz-server-side-encryption", "AES256"}})),
            "InvalidArgument");
  EXPECT_EQ(CodeOf(Check(S3Operation::kGetObject, {{"x-amz-server-side-encryption-aws-kms-key-id", "k"}})),
            "InvalidArgument");
  EXPECT_EQ(CodeOf(Check(S3Operation::kHeadObject, {{"x-amz-server-side-encryption", "AES256"}})),
            "InvalidArgument");
}

TEST(HonouredHeaders, LeavesCustomerKeysToTheOperationsThatTakeThem) {
  std::vector<HeaderField> sse_c = {{"x-amz-server-side-encryption-customer-algorithm", "AES256"},
                                    {"x-amz-server-side-encryption-customer-key", "a2V5"},
                                    {"x-amz-server-side-encryption-customer-key-MD5", "bWQ1"}};
  for (S3Operation op : {S3Operation::kPutObject, S3Operation::kGetObject, S3Operation::kHeadObject,
                         S3Operation::kUploadPart, S3Operation::kCompleteMultipartUpload}) {
    EXPECT_EQ(CodeOf(Check(op, sse_c)), "OK");
  }
  EXPECT_EQ(CodeOf(Check(S3Operation::kUploadPartCopy,
                         {{"x-amz-copy-source-server-side-encryption-customer-algorithm", "AES256"}})),
            "OK");
  EXPECT_EQ(CodeOf(Check(S3Operation::kGetObject,
                         {{"x-amz-copy-source-server-side-encryption-customer-algorithm", "AES256"}})),
            "NotImplemented");
}

TEST(HonouredHeaders, HonoursObjectLockHeadersOnObjectWritesOnly) {
  for (std::string_view name : {"x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date",
                                "x-amz-object-lock-legal-hold"}) {
    // The values are the handler's to check (ReadObjectLockHeaders), with the bucket's state.
    for (S3Operation op : {S3Operation::kPutObject, S3Operation::kCopyObject,
                           S3Operation::kCreateMultipartUpload}) {
      EXPECT_EQ(CodeOf(Check(op, {{name, "x"}})), "OK") << name;
    }
    EXPECT_EQ(CodeOf(Check(S3Operation::kUploadPart, {{name, "x"}})), "NotImplemented") << name;
  }
  EXPECT_EQ(CodeOf(Check(S3Operation::kPutObjectRetention,
                         {{"x-amz-bypass-governance-retention", "true"}})),
            "OK");
  EXPECT_EQ(CodeOf(Check(S3Operation::kPutObjectLegalHold,
                         {{"x-amz-bypass-governance-retention", "true"}})),
            "NotImplemented");
  EXPECT_EQ(CodeOf(Check(S3Operation::kPutObjectLockConfiguration,
                         {{"x-amz-bucket-object-lock-token", "token"}})),
            "OK");
  EXPECT_EQ(
      CodeOf(Check(S3Operation::kCreateBucket, {{"x-amz-bucket-object-lock-enabled", "true"}})),
      "OK");
  EXPECT_EQ(
      CodeOf(Check(S3Operation::kCreateBucket, {{"x-amz-bucket-object-lock-enabled", "false"}})),
      "OK");
  EXPECT_EQ(
      CodeOf(Check(S3Operation::kCreateBucket, {{"x-amz-bucket-object-lock-enabled", "maybe"}})),
      "InvalidArgument");
  EXPECT_EQ(
      CodeOf(Check(S3Operation::kDeleteObject, {{"x-amz-bypass-governance-retention", "true"}})),
      "OK");
  EXPECT_EQ(CodeOf(Check(S3Operation::kDeleteObject, {{"x-amz-mfa", "serial 123456"}})),
            "NotImplemented");
}

TEST(HonouredHeaders, ComparesTheExpectedBucketOwnerWithTheAccount) {
  EXPECT_EQ(
      CodeOf(Check(S3Operation::kGetObject, {{"x-amz-expected-bucket-owner", "123456789012"}})),
      "OK");
  EXPECT_EQ(
      CodeOf(Check(S3Operation::kGetObject, {{"x-amz-expected-bucket-owner", "111111111111"}})),
      "AccessDenied");
  EXPECT_EQ(CodeOf(Check(S3Operation::kCopyObject,
                         {{"x-amz-source-expected-bucket-owner", "111111111111"}})),
            "AccessDenied");
  EXPECT_EQ(CodeOf(Check(S3Operation::kCopyObject,
                         {{"x-amz-source-expected-bucket-owner", "123456789012"}})),
            "OK");
}

// Accounts (#15): a copy's two buckets may have different owners; no owner: no such bucket.
TEST(HonouredHeaders, ComparesEachExpectedOwnerWithItsOwnBucketsOwner) {
  std::vector<HeaderField> headers = {{"x-amz-expected-bucket-owner", "111111111111"},
                                      {"x-amz-source-expected-bucket-owner", "222222222222"}};
  EXPECT_EQ(CodeOf(CheckRequestHeaders(S3Operation::kCopyObject, headers, "111111111111",
                                       "222222222222")),
            "OK");
  EXPECT_EQ(CodeOf(CheckRequestHeaders(S3Operation::kCopyObject, headers, "111111111111",
                                       "111111111111")),
            "AccessDenied");
  std::vector<HeaderField> no_such_bucket = {{"x-amz-expected-bucket-owner", "111111111111"}};
  EXPECT_EQ(CodeOf(CheckRequestHeaders(S3Operation::kGetObject, no_such_bucket, "")), "OK");
}

TEST(HonouredHeaders, LeavesAclsToTheHandlersAndChecksTheOwnershipName) {
  for (const char* ownership : {"BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"}) {
    EXPECT_EQ(CodeOf(Check(S3Operation::kCreateBucket, {{"x-amz-object-ownership", ownership}})), "OK")
        << ownership;
  }
  EXPECT_EQ(CodeOf(Check(S3Operation::kCreateBucket, {{"x-amz-object-ownership", "Everyone"}})),
            "InvalidArgument");
  EXPECT_EQ(CodeOf(Check(S3Operation::kPutObject, {{"x-amz-object-ownership", "ObjectWriter"}})),
            "NotImplemented");
  for (S3Operation op : {S3Operation::kCreateBucket, S3Operation::kPutObject, S3Operation::kCopyObject,
                         S3Operation::kCreateMultipartUpload, S3Operation::kPutBucketAcl,
                         S3Operation::kPutObjectAcl}) {
    EXPECT_EQ(CodeOf(Check(op, {{"x-amz-acl", "public-read"}})), "OK");
    EXPECT_EQ(CodeOf(Check(op, {{"x-amz-grant-read", "id=x"}, {"X-Amz-Grant-Full-Control", "id=y"}})), "OK");
  }
  EXPECT_EQ(CodeOf(Check(S3Operation::kUploadPart, {{"x-amz-acl", "private"}})), "NotImplemented");
  EXPECT_EQ(CodeOf(Check(S3Operation::kPutObject, {{"x-amz-grant-everything", "id=x"}})), "NotImplemented");
}

TEST(VersionId, OperationsWithoutAVersionToActOnAcceptOnlyTheNullVersion) {
  S3Request request;
  request.operation = S3Operation::kPutObject;
  EXPECT_TRUE(CheckVersionId(request));
  request.query["versionId"] = "null";
  EXPECT_TRUE(CheckVersionId(request));
  request.query["versionId"] = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY";
  EXPECT_EQ(CodeOf(CheckVersionId(request)), "InvalidArgument");
  request.query["versionId"] = "";
  EXPECT_EQ(CodeOf(CheckVersionId(request)), "InvalidArgument");
}

TEST(VersionId, OperationsOnAVersionLeaveTheIdToTheirHandler) {
  S3Request request;
  request.query["versionId"] = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH";
  for (auto op : {S3Operation::kGetObject, S3Operation::kHeadObject, S3Operation::kDeleteObject,
                  S3Operation::kPutObjectTagging, S3Operation::kGetObjectAcl}) {
    request.operation = op;
    EXPECT_TRUE(CheckVersionId(request)) << OperationName(op);
  }
}

TEST(AmzQueryParameters, RefusesHoistedHeadersAndKeepsSigV4sOwn) {
  S3Request request;
  request.query = {{"X-Amz-Signature", "ab"}, {"X-Amz-Credential", "c"}, {"x-id", "PutObject"}};
  EXPECT_TRUE(CheckAmzQueryParameters(request));
  request.query["x-amz-acl"] = "public-read";
  EXPECT_EQ(CodeOf(CheckAmzQueryParameters(request)), "NotImplemented");
  request.query = {{"x-amz-date", "20260101T000000Z"}};  // not the case the verifier reads
  EXPECT_EQ(CodeOf(CheckAmzQueryParameters(request)), "NotImplemented");
}

// The JS SDK v3's presigned GET URLs carry x-amz-checksum-mode=ENABLED in the query.
TEST(AmzQueryParameters, AcceptsAHoistedChecksumModeOnGetAndHeadOnly) {
  S3Request request;
  request.query = {
      {"X-Amz-Signature", "ab"}, {"x-amz-checksum-mode", "ENABLED"}, {"x-id", "GetObject"}};
  for (auto operation : {S3Operation::kGetObject, S3Operation::kHeadObject}) {
    request.operation = operation;
    EXPECT_TRUE(CheckAmzQueryParameters(request));
  }
  request.operation = S3Operation::kPutObject;
  EXPECT_EQ(CodeOf(CheckAmzQueryParameters(request)), "NotImplemented");
}

TEST(AmzQueryParameters, KeepsTheSessionTokenOfASigV2PresignedUrl) {
  S3Request request;
  request.query = {{"AWSAccessKeyId", "ASIA"}, {"Signature", "s"}, {"Expires", "1"},
                   {"x-amz-security-token", "token"}};
  EXPECT_TRUE(CheckAmzQueryParameters(request));
}

}  // namespace
}  // namespace kura::s3
