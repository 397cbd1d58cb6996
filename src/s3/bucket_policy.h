// The bucket policy API (Get/Put/DeleteBucketPolicy, GetBucketPolicyStatus): stored in the
// bucket record, validated with the policy parser (MalformedPolicy), compiled copies kept in a
// BucketPolicyCache. A public policy (policy/public_policy.h) is refused with AccessDenied while
// the bucket's Block Public Access has BlockPublicPolicy on.
// Spec: GetBucketPolicy, PutBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus in the S3
// API Reference.
#pragma once

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> GetBucketPolicy(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PutBucketPolicy(S3Env& env, S3Call& call);
net::awaitable<Result<void>> DeleteBucketPolicy(S3Env& env, S3Call& call);
// <PolicyStatus><IsPublic>…</IsPublic></PolicyStatus>; NoSuchBucketPolicy without a policy.
net::awaitable<Result<void>> GetBucketPolicyStatus(S3Env& env, S3Call& call);
// The GetBucketPolicyStatus document.
std::string RenderPolicyStatus(bool is_public);
}  // namespace kura::s3
