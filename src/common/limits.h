// Every limit kura enforces, named once, with the AWS figure it mirrors.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace kura::limits {

// S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html and
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html)
inline constexpr size_t kMaxKeyBytes = 1024;                       // KeyTooLongError beyond
inline constexpr uint64_t kMaxSinglePutBytes = 5ULL << 30;         // 5 GiB, EntityTooLarge
inline constexpr uint64_t kMaxObjectBytes = 5ULL << 40;            // 5 TiB
inline constexpr uint64_t kMinPartBytes = 5ULL << 20;              // 5 MiB, EntityTooSmall
inline constexpr int kMaxPartNumber = 10000;
inline constexpr int kMaxKeysPerPage = 1000;                       // ListObjects, DeleteObjects
inline constexpr size_t kMaxUserMetadataBytes = 2 * 1024;          // x-amz-meta-* total
inline constexpr int kMaxObjectTags = 10;
inline constexpr int kMaxBucketTags = 50;
inline constexpr size_t kMaxBucketPolicyBytes = 20 * 1024;
inline constexpr size_t kMaxAclGrants = 100;                      // per bucket or object ACL

// HTTP (S3 allows 8 KiB of request headers; we allow a little more for long presigned URLs)
inline constexpr size_t kMaxRequestHeaderBytes = 16 * 1024;
inline constexpr size_t kMaxXmlBodyBytes = 2 * 1024 * 1024;        // DeleteObjects of 1000 long keys
inline constexpr size_t kMaxFormBodyBytes = 1024 * 1024;           // IAM/STS Query API bodies
inline constexpr std::chrono::seconds kIdleTimeout{60};
inline constexpr std::chrono::seconds kRequestHeaderTimeout{20};
inline constexpr std::chrono::seconds kBodyStallTimeout{30};
// How long a connection closing after an error answer waits for the client to close first.
inline constexpr std::chrono::seconds kLingerAfterErrorTimeout{2};
// Pauses of the acceptor after accept(2) ran out of file descriptors or memory (doubling).
inline constexpr std::chrono::milliseconds kAcceptBackoffInitial{10};
inline constexpr std::chrono::milliseconds kAcceptBackoffMax{1000};
// Open files the process keeps besides connections (SQLite database, WAL and shared memory,
// stdio, the audit log, the listener, epoll and eventfds, start-up and sweep scans), and what
// one connection may hold: its socket and the blob file it reads or writes. The default
// connection cap keeps (RLIMIT_NOFILE - reserve) / per-connection connections.
inline constexpr int kReservedFileDescriptors = 64;
inline constexpr int kFileDescriptorsPerConnection = 2;

// SigV4 (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
inline constexpr std::chrono::minutes kMaxClockSkew{15};
inline constexpr std::chrono::seconds kMaxPresignExpires{7 * 24 * 3600};
inline constexpr size_t kMaxChunkBytes = 64 * 1024 * 1024;        // one aws-chunked chunk

// STS (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
inline constexpr int kDefaultSessionSeconds = 3600;
inline constexpr int kMinSessionSeconds = 900;
inline constexpr int kMaxRoleChainingSeconds = 3600;
inline constexpr int kMaxGetSessionTokenSeconds = 129600;          // 36 h
inline constexpr size_t kMaxSessionPolicyChars = 2048;
inline constexpr int kMaxSessionPolicyArns = 10;
inline constexpr int kMaxSessionTags = 50;

// IAM (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)
inline constexpr size_t kMaxManagedPolicyChars = 6144;
inline constexpr size_t kMaxUserInlinePolicyChars = 2048;
inline constexpr size_t kMaxRoleInlinePolicyChars = 10240;
inline constexpr size_t kMaxGroupInlinePolicyChars = 5120;
inline constexpr int kMaxAccessKeysPerUser = 2;
inline constexpr int kMaxPolicyVersions = 5;
inline constexpr int kMaxAttachedPoliciesPerEntity = 10;
inline constexpr int kMinRoleMaxSessionSeconds = 3600;
inline constexpr int kMaxRoleMaxSessionSeconds = 43200;

// KMS (https://docs.aws.amazon.com/kms/latest/APIReference/ and the shapes of botocore's
// kms/2014-11-01 model)
inline constexpr size_t kMaxKmsRequestBytes = 64 * 1024;       // KMS allows ~32 KiB policies
inline constexpr size_t kMaxKmsPlaintextBytes = 4096;          // Encrypt's Plaintext
inline constexpr size_t kMaxKmsCiphertextBytes = 6144;         // CiphertextBlob
inline constexpr int kMaxKmsDataKeyBytes = 1024;               // NumberOfBytes
inline constexpr int kMinKmsPendingWindowDays = 7;             // ScheduleKeyDeletion
inline constexpr int kMaxKmsPendingWindowDays = 30;
inline constexpr int kDefaultKmsPendingWindowDays = 30;
inline constexpr int kMinKmsRotationPeriodDays = 90;           // EnableKeyRotation
inline constexpr int kMaxKmsRotationPeriodDays = 2560;
inline constexpr int kDefaultKmsRotationPeriodDays = 365;
inline constexpr size_t kMaxKmsDescriptionChars = 8192;
inline constexpr size_t kMaxKmsAliasChars = 256;
inline constexpr size_t kMaxKmsPolicyBytes = 32 * 1024;
inline constexpr int kMaxKmsListLimit = 1000;
inline constexpr int kDefaultKmsListLimit = 100;

// AWS Organizations (botocore organizations/2016-11-28 shapes)
inline constexpr size_t kMaxOrganizationsRequestBytes = 64 * 1024;
inline constexpr int kMaxOrganizationsListResults = 20;  // MaxResults: 1–20
inline constexpr size_t kMaxAccountNameChars = 50;       // CreateAccountName
inline constexpr size_t kMinAccountEmailChars = 6;       // Email
inline constexpr size_t kMaxAccountEmailChars = 64;
inline constexpr size_t kMaxAccountRoleNameChars = 64;   // RoleName
inline constexpr size_t kMaxOrganizationsTags = 50;      // tags per resource

}  // namespace kura::limits
