// S3 Object Ownership's API: PutBucketOwnershipControls, GetBucketOwnershipControls,
// DeleteBucketOwnershipControls, and the names x-amz-object-ownership (CreateBucket) takes.
// BucketOwnerEnforced (what a new bucket gets) disables ACLs; BucketOwnerPreferred and
// ObjectWriter enable them (see acl.h for what each means for an object's owner); deleting the
// controls leaves ObjectWriter's behaviour and GetBucketOwnershipControls answering
// OwnershipControlsNotFoundError.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html and the
// three operations in the S3 API Reference (document shape: botocore's s3 OwnershipControls).
// Thread-safety: pure functions and handlers, one per call.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> GetBucketOwnershipControls(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PutBucketOwnershipControls(S3Env& env, S3Call& call);
net::awaitable<Result<void>> DeleteBucketOwnershipControls(S3Env& env, S3Call& call);

// "BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter" and back (nullopt otherwise;
// kNone has no name).
std::optional<store::ObjectOwnership> ObjectOwnershipFromName(std::string_view name);
std::string_view ObjectOwnershipName(store::ObjectOwnership ownership);

// <OwnershipControls><Rule><ObjectOwnership>…</ObjectOwnership></Rule></OwnershipControls>: one
// rule with a known value, else kMalformedXML.
Result<store::ObjectOwnership> ParseOwnershipControls(std::string_view body);
std::string RenderOwnershipControls(store::ObjectOwnership ownership);

}  // namespace kura::s3
