// Bucket-level operations: ListBuckets, CreateBucket, DeleteBucket, HeadBucket,
// GetBucketLocation (versioning: bucket_versioning.h).
// Spec: the S3 API Reference page of each operation.
#pragma once

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> ListBuckets(S3Env& env, S3Call& call);
net::awaitable<Result<void>> CreateBucket(S3Env& env, S3Call& call);
net::awaitable<Result<void>> DeleteBucket(S3Env& env, S3Call& call);
net::awaitable<Result<void>> HeadBucket(S3Env& env, S3Call& call);
net::awaitable<Result<void>> GetBucketLocation(S3Env& env, S3Call& call);

// The region a CreateBucket body (<CreateBucketConfiguration>) asks for, "" when it names none
// or the body is empty. Errors: kMalformedXML.
Result<std::string> ParseCreateBucketConfiguration(std::string_view body);

}  // namespace kura::s3
