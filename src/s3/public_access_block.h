// S3 Block Public Access on a bucket: PutPublicAccessBlock, GetPublicAccessBlock and
// DeletePublicAccessBlock (S3 API Reference), kept in store::BucketRecord::public_access_block.
// What the four settings do is enforced elsewhere: BlockPublicAcls where ACLs are written
// (s3/acl.cc), BlockPublicPolicy in PutBucketPolicy (s3/bucket_policy.cc), IgnorePublicAcls and
// RestrictPublicBuckets in authorization (s3/acl_grant_source.cc, s3/bucket_policy_cache.cc).
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
// Thread-safety: handlers run on the request's coroutine; the parser is pure.
#pragma once

#include <string>
#include <string_view>

#include "s3/s3_call.h"
#include "store/records.h"

namespace kura::s3 {

// A PublicAccessBlockConfiguration document: each of the four optional elements "true" or
// "false" (absent: false). Errors: kMalformedXML.
Result<store::PublicAccessBlock> ParsePublicAccessBlockConfiguration(std::string_view body);
// The document GetPublicAccessBlock answers, all four elements present.
std::string RenderPublicAccessBlockConfiguration(const store::PublicAccessBlock& block);

net::awaitable<Result<void>> PutPublicAccessBlock(S3Env& env, S3Call& call);
// kNoSuchPublicAccessBlockConfiguration when the bucket has none.
net::awaitable<Result<void>> GetPublicAccessBlock(S3Env& env, S3Call& call);
net::awaitable<Result<void>> DeletePublicAccessBlock(S3Env& env, S3Call& call);

}  // namespace kura::s3
