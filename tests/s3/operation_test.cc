#include "s3/operation.h"

#include <gtest/gtest.h>

namespace kura::s3 {
namespace {

namespace bhttp = boost::beast::http;

S3Operation Route(bhttp::verb method, std::string_view target, bool copy = false, bool form = false) {
  auto request = ParseS3Request(RouteInput{method, target, "localhost", "", copy, form});
  EXPECT_TRUE(request);
  return request ? request->operation : S3Operation::kUnsupported;
}

TEST(Routing, NamesTheMultipartOperations) {
  EXPECT_EQ(Route(bhttp::verb::post, "/b/k?uploads"), S3Operation::kCreateMultipartUpload);
  EXPECT_EQ(Route(bhttp::verb::put, "/b/k?partNumber=1&uploadId=u"), S3Operation::kUploadPart);
  EXPECT_EQ(Route(bhttp::verb::put, "/b/k?partNumber=1&uploadId=u", true), S3Operation::kUploadPartCopy);
  EXPECT_EQ(Route(bhttp::verb::post, "/b/k?uploadId=u"), S3Operation::kCompleteMultipartUpload);
  EXPECT_EQ(Route(bhttp::verb::delete_, "/b/k?uploadId=u"), S3Operation::kAbortMultipartUpload);
  EXPECT_EQ(Route(bhttp::verb::get, "/b/k?uploadId=u"), S3Operation::kListParts);
  EXPECT_EQ(Route(bhttp::verb::get, "/b?uploads"), S3Operation::kListMultipartUploads);
}

TEST(Routing, NamesAclCorsAndBrowserOperations) {
  EXPECT_EQ(Route(bhttp::verb::put, "/b?acl"), S3Operation::kPutBucketAcl);
  EXPECT_EQ(Route(bhttp::verb::put, "/b/k?acl"), S3Operation::kPutObjectAcl);
  EXPECT_EQ(Route(bhttp::verb::get, "/b?cors"), S3Operation::kGetBucketCors);
  EXPECT_EQ(Route(bhttp::verb::put, "/b?cors"), S3Operation::kPutBucketCors);
  EXPECT_EQ(Route(bhttp::verb::delete_, "/b?cors"), S3Operation::kDeleteBucketCors);
  EXPECT_EQ(Route(bhttp::verb::options, "/b/k"), S3Operation::kPreflightRequest);
  EXPECT_EQ(Route(bhttp::verb::post, "/b", false, true), S3Operation::kPostObject);
  EXPECT_EQ(Route(bhttp::verb::post, "/b"), S3Operation::kUnsupported);
  EXPECT_EQ(Route(bhttp::verb::post, "/b?delete", false, true), S3Operation::kDeleteObjects);
  EXPECT_EQ(Route(bhttp::verb::put, "/b/k", true), S3Operation::kCopyObject);
}

TEST(Routing, NamesTheDataProtectionOperations) {
  EXPECT_EQ(Route(bhttp::verb::put, "/b?versioning"), S3Operation::kPutBucketVersioning);
  EXPECT_EQ(Route(bhttp::verb::get, "/b?versions"), S3Operation::kListObjectVersions);
  EXPECT_EQ(Route(bhttp::verb::put, "/b?object-lock"), S3Operation::kPutObjectLockConfiguration);
  EXPECT_EQ(Route(bhttp::verb::get, "/b?object-lock"), S3Operation::kGetObjectLockConfiguration);
  EXPECT_EQ(Route(bhttp::verb::put, "/b?lifecycle"), S3Operation::kPutBucketLifecycleConfiguration);
  EXPECT_EQ(Route(bhttp::verb::get, "/b?lifecycle"), S3Operation::kGetBucketLifecycleConfiguration);
  EXPECT_EQ(Route(bhttp::verb::delete_, "/b?lifecycle"), S3Operation::kDeleteBucketLifecycle);
  EXPECT_EQ(Route(bhttp::verb::get, "/b/k?attributes"), S3Operation::kGetObjectAttributes);
  EXPECT_EQ(Route(bhttp::verb::put, "/b/k?retention"), S3Operation::kPutObjectRetention);
  EXPECT_EQ(Route(bhttp::verb::get, "/b/k?retention"), S3Operation::kGetObjectRetention);
  EXPECT_EQ(Route(bhttp::verb::put, "/b/k?legal-hold"), S3Operation::kPutObjectLegalHold);
  EXPECT_EQ(Route(bhttp::verb::get, "/b/k?legal-hold"), S3Operation::kGetObjectLegalHold);
}

TEST(Routing, AVersionIdAsksForTheVersionAction) {
  auto action = [](bhttp::verb method, std::string_view target) {
    auto request = ParseS3Request(RouteInput{method, target, "localhost", "", false, false});
    return request ? std::string(IamActionOf(*request)) : std::string("unparsed");
  };
  EXPECT_EQ(action(bhttp::verb::get, "/b/k"), "s3:GetObject");
  EXPECT_EQ(action(bhttp::verb::get, "/b/k?versionId=v1"), "s3:GetObjectVersion");
  EXPECT_EQ(action(bhttp::verb::head, "/b/k?versionId=v1"), "s3:GetObjectVersion");
  EXPECT_EQ(action(bhttp::verb::delete_, "/b/k?versionId=v1"), "s3:DeleteObjectVersion");
  EXPECT_EQ(action(bhttp::verb::put, "/b/k?tagging&versionId=v1"), "s3:PutObjectVersionTagging");
  EXPECT_EQ(action(bhttp::verb::get, "/b/k?acl&versionId=v1"), "s3:GetObjectVersionAcl");
  EXPECT_EQ(action(bhttp::verb::put, "/b/k?retention&versionId=v1"), "s3:PutObjectRetention");
}

TEST(Routing, DeleteObjectsIsAuthorizedPerKeyByItsHandlerNotOnTheBucket) {
  EXPECT_TRUE(AuthorizesEachObject(S3Operation::kDeleteObjects));
  EXPECT_FALSE(AuthorizesEachObject(S3Operation::kDeleteObject));
  EXPECT_FALSE(AuthorizesEachObject(S3Operation::kListObjectsV2));
  EXPECT_FALSE(AuthorizesEachObject(S3Operation::kPutObject));
  auto request = ParseS3Request(RouteInput{bhttp::verb::post, "/b?delete", "localhost", "", false, false});
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->ResourceArn(), "arn:aws:s3:::b");  // what the audit line names
}

TEST(Routing, OnlyPreflightAndPostUploadsSkipThePipelinesAuthorization) {
  EXPECT_TRUE(AuthenticatesItself(S3Operation::kPreflightRequest));
  EXPECT_TRUE(AuthenticatesItself(S3Operation::kPostObject));
  EXPECT_FALSE(AuthenticatesItself(S3Operation::kPutObject));
  EXPECT_FALSE(AuthenticatesItself(S3Operation::kUnsupported));
}

}  // namespace
}  // namespace kura::s3

namespace kura::s3 {
namespace {

std::string_view UnsignedByV2(std::string_view target) {
  static S3Request request;  // the view returned points into a static list, not the request
  request = *ParseS3Request(RouteInput{bhttp::verb::put, target, "localhost", "", false, false});
  return SubresourceUnsignedBySigV2(request);
}

TEST(Routing, NamesTheOperationSelectorsSigV2DoesNotSign) {
  EXPECT_EQ(UnsignedByV2("/b/k"), "");
  EXPECT_EQ(UnsignedByV2("/b/k?acl"), "");         // signed by v2: a sub-resource
  EXPECT_EQ(UnsignedByV2("/b/k?tagging"), "");
  EXPECT_EQ(UnsignedByV2("/b/k?retention"), "retention");
  EXPECT_EQ(UnsignedByV2("/b/k?legal-hold"), "legal-hold");
  EXPECT_EQ(UnsignedByV2("/b/k?attributes"), "attributes");
  EXPECT_EQ(UnsignedByV2("/b?publicAccessBlock"), "publicAccessBlock");
  EXPECT_EQ(UnsignedByV2("/b?ownershipControls"), "ownershipControls");
  EXPECT_EQ(UnsignedByV2("/b?policyStatus"), "policyStatus");
}

}  // namespace
}  // namespace kura::s3
