#include "api/configuration_writes.h"

#include <gtest/gtest.h>

namespace kura::api {
namespace {

TEST(ConfigurationWrites, QueryWritesAreEveryOperationButTheReads) {
  for (const char* write : {"CreateUser", "CreateAccessKey", "DeleteAccessKey", "UpdateAccessKey",
                            "AttachUserPolicy", "DetachRolePolicy", "PutRolePolicy", "DeleteRole",
                            "TagRole", "CreateKey", "ScheduleKeyDeletion", "CreateAlias",
                            "EnableKeyRotation", "CreateAccount", "CloseAccount"}) {
    EXPECT_TRUE(WritesConfiguration(write)) << write;
  }
  for (const char* read : {"GetUser", "ListUsers", "SimulatePrincipalPolicy", "AssumeRole",
                           "AssumeRoleWithWebIdentity", "GetCallerIdentity", "DescribeKey",
                           "Encrypt", "Decrypt", "GenerateDataKey", "ReEncrypt",
                           "DescribeCreateAccountStatus", "DecodeAuthorizationMessage"}) {
    EXPECT_FALSE(WritesConfiguration(read)) << read;
  }
}

TEST(ConfigurationWrites, S3WritesAreBucketLevelCreatePutAndDelete) {
  using s3::S3Operation;
  EXPECT_TRUE(WritesConfiguration(S3Operation::kCreateBucket));
  EXPECT_TRUE(WritesConfiguration(S3Operation::kDeleteBucket));
  EXPECT_TRUE(WritesConfiguration(S3Operation::kPutBucketPolicy));
  EXPECT_TRUE(WritesConfiguration(S3Operation::kDeleteBucketPolicy));
  EXPECT_TRUE(WritesConfiguration(S3Operation::kPutBucketLifecycleConfiguration));
  EXPECT_TRUE(WritesConfiguration(S3Operation::kPutObjectLockConfiguration));
  EXPECT_FALSE(WritesConfiguration(S3Operation::kGetBucketPolicy));
  EXPECT_FALSE(WritesConfiguration(S3Operation::kPutObject));
  EXPECT_FALSE(WritesConfiguration(S3Operation::kDeleteObject));
  EXPECT_FALSE(WritesConfiguration(S3Operation::kDeleteObjects));
}

}  // namespace
}  // namespace kura::api
