// The bucket policy API (Get/Put/DeleteBucketPolicy): stored in the bucket record, validated
// with the policy parser (MalformedPolicy), compiled copies kept in a BucketPolicyCache.
// Spec: GetBucketPolicy, PutBucketPolicy, DeleteBucketPolicy in the S3 API Reference.
#pragma once

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> GetBucketPolicy(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PutBucketPolicy(S3Env& env, S3Call& call);
net::awaitable<Result<void>> DeleteBucketPolicy(S3Env& env, S3Call& call);
}  // namespace kura::s3
