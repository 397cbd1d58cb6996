// Object Lock's own operations: the bucket's configuration (GetObjectLockConfiguration,
// PutObjectLockConfiguration, and enabling it at CreateBucket) and a version's retention and
// legal hold (Get/PutObjectRetention, Get/PutObjectLegalHold). The store enforces the rules
// (store/versioning.h): COMPLIANCE is never shortened or removed, GOVERNANCE only with bypass.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html and the API
// Reference page of each operation. Thread-safety: as S3Call.
#pragma once

#include <string_view>

#include "common/error.h"
#include "s3/s3_call.h"
#include "store/records.h"

namespace kura::s3 {

// The lock fields an <ObjectLockConfiguration> sets: Enabled, and a default retention (mode
// kNone when the document has no Rule). kMalformedXML, kInvalidArgument (a period not > 0, or
// over 100 years).
Result<store::DefaultRetention> ParseObjectLockConfiguration(std::string_view xml);

// A <Retention>: mode and retain-until date, both or neither (neither removes the retention).
struct Retention {
  store::RetentionMode mode = store::RetentionMode::kNone;
  TimePoint retain_until{};
};
Result<Retention> ParseRetention(std::string_view xml);  // kMalformedXML, kInvalidArgument
Result<bool> ParseLegalHold(std::string_view xml);       // ON → true; kMalformedXML

// CreateBucket's x-amz-bucket-object-lock-enabled: true turns Object Lock and versioning on in
// the new bucket's record (honoured_headers.cc has checked the value).
void ApplyCreateBucketObjectLock(const S3Call& call, store::BucketRecord& record);

net::awaitable<Result<void>> GetObjectLockConfiguration(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PutObjectLockConfiguration(S3Env& env, S3Call& call);
net::awaitable<Result<void>> GetObjectRetention(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PutObjectRetention(S3Env& env, S3Call& call);
net::awaitable<Result<void>> GetObjectLegalHold(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PutObjectLegalHold(S3Env& env, S3Call& call);

}  // namespace kura::s3
