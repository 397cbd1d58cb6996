#include "api/space_guard.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "store/fs/file_ops.h"

namespace kura::api {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

TEST(TakesSpace, WritesThatAddTakeSpace) {
  for (const char* operation :
       {"PutObject", "PostObject", "CopyObject", "CreateMultipartUpload", "UploadPart",
        "UploadPartCopy", "CreateBucket", "PutBucketPolicy",
        "PutBucketTagging", "PutObjectTagging", "CreateUser", "CreateAccessKey", "PutUserPolicy",
        "AttachRolePolicy", "TagRole", "CreateKey", "CreateAlias", "CreateAccount",
        "AddUserToGroup"}) {
    EXPECT_TRUE(TakesSpace(operation)) << operation;
  }
}

TEST(TakesSpace, DeletesRevocationsAndReadsDoNot) {
  for (const char* operation :
       {"CompleteMultipartUpload", "DeleteObject", "DeleteObjects", "DeleteBucket", "AbortMultipartUpload", "GetObject",
        "ListObjectsV2", "DeleteAccessKey", "UpdateAccessKey", "DeleteUser", "DetachRolePolicy",
        "DeleteRolePolicy", "UntagRole", "AssumeRole", "GetSessionToken", "Encrypt",
        "GenerateDataKey", "ScheduleKeyDeletion", "DisableKey", "CloseAccount",
        "RemoveUserFromGroup"}) {
    EXPECT_FALSE(TakesSpace(operation)) << operation;
  }
}

TEST(TakesSpace, RevokingSessionsIsARestrictionNotAnAddition) {
  EXPECT_FALSE(TakesSpace("PutRolePolicy", "AWSRevokeOlderSessions"));
  EXPECT_TRUE(TakesSpace("PutRolePolicy", "ReadOnly"));
}

struct Disk {
  uint64_t available = 100 * kMiB;
  store::space::StatFs statfs() {
    return [this](const std::filesystem::path&) -> Result<store::space::DiskSpace> {
      return store::space::DiskSpace{available, 1000 * kMiB};
    };
  }
};

TEST(CheckFreeSpace, RefusesWritesBelowTheReserveAndLetsDeletesThrough) {
  FakeClock clock(TimePoint{});
  Disk disk;
  store::space::FreeSpaceMonitor monitor(
      "/data", {store::space::Reserve::Kind::kBytes, 10 * kMiB, 0}, clock, disk.statfs());
  EXPECT_TRUE(CheckFreeSpace(&monitor, "PutObject", 50 * kMiB));
  auto refused = CheckFreeSpace(&monitor, "PutObject", 95 * kMiB);  // would cut into the reserve
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInsufficientStorage);
  disk.available = 0;
  monitor.Refresh();
  EXPECT_FALSE(CheckFreeSpace(&monitor, "CreateUser", 0));
  EXPECT_TRUE(CheckFreeSpace(&monitor, "DeleteObject", 0));
  EXPECT_TRUE(CheckFreeSpace(&monitor, "PutRolePolicy", 0, "AWSRevokeOlderSessions"));
  EXPECT_TRUE(CheckFreeSpace(nullptr, "PutObject", 0));  // no monitor, no reserve
}

TEST(ExplainWriteFailure, AWriteThatRanOutOfSpaceIsInsufficientStorage) {
  FakeClock clock(TimePoint{});
  Disk disk;
  store::space::FreeSpaceMonitor monitor(
      "/data", {store::space::Reserve::Kind::kBytes, 10 * kMiB, 0}, clock, disk.statfs());
  Error enospc = store::ErrnoError("write", "/d/tmp/x.tmp", ENOSPC);
  EXPECT_EQ(enospc.code, ErrorCode::kInsufficientStorage);
  EXPECT_EQ(store::ErrnoError("write", "/d/tmp/x.tmp", EDQUOT).code, ErrorCode::kInsufficientStorage);
  EXPECT_EQ(ExplainWriteFailure(&monitor, "PutObject", 0, enospc).code,
            ErrorCode::kInsufficientStorage);
  Error eio = MakeError(ErrorCode::kInternalError, "fsync /d/tmp/x.tmp: Input/output error");
  EXPECT_EQ(ExplainWriteFailure(&monitor, "PutObject", 0, eio).code, ErrorCode::kInternalError);
  EXPECT_EQ(ExplainWriteFailure(&monitor, "PutObject", 200 * kMiB, eio).code,
            ErrorCode::kInsufficientStorage);  // the body could not have fitted
  EXPECT_EQ(ExplainWriteFailure(&monitor, "GetObject", 0, eio).code, ErrorCode::kInternalError);
}

}  // namespace
}  // namespace kura::api
