// Get/Put/DeleteBucketLifecycleConfiguration (the configuration lives in the bucket record,
// validated by lifecycle_config.h; the worker in lifecycle_worker.h applies it) and the
// x-amz-expiration header of objects a rule will expire.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
// Thread-safety: pure functions over thread-safe services.
#pragma once

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> GetBucketLifecycleConfiguration(S3Env& env, S3Call& call);
// Needs Content-MD5 or a checksum header, as S3 does. Names rules that have no ID.
net::awaitable<Result<void>> PutBucketLifecycleConfiguration(S3Env& env, S3Call& call);
net::awaitable<Result<void>> DeleteBucketLifecycle(S3Env& env, S3Call& call);

// Sets x-amz-expiration on a PUT/GET/HEAD answer for the current version `object` when an
// enabled Expiration rule selects it (from the cache: no store read, no XML).
void SetExpirationHeader(S3Env& env, const store::ObjectRecord& object, ResponseHead& head);


}  // namespace kura::s3
