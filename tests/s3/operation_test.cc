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

TEST(Routing, OnlyPreflightAndPostUploadsSkipThePipelinesAuthorization) {
  EXPECT_TRUE(AuthenticatesItself(S3Operation::kPreflightRequest));
  EXPECT_TRUE(AuthenticatesItself(S3Operation::kPostObject));
  EXPECT_FALSE(AuthenticatesItself(S3Operation::kPutObject));
  EXPECT_FALSE(AuthenticatesItself(S3Operation::kUnsupported));
}

}  // namespace
}  // namespace kura::s3
