// The ACL API with object ownership enforced, as new S3 buckets have it: Get*Acl report the
// owner's FULL_CONTROL, Put*Acl accept only that (canned "private" or an equivalent document),
// anything else is AccessControlListNotSupported (the x-amz-acl / x-amz-grant-* headers are
// checked, for every operation that takes them, by the table in honoured_headers.cc).
// Spec: GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl in the S3 API Reference and
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
#pragma once

#include <string>
#include <string_view>

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> GetAcl(S3Env& env, S3Call& call);  // GetBucketAcl, GetObjectAcl
net::awaitable<Result<void>> PutAcl(S3Env& env, S3Call& call);  // PutBucketAcl, PutObjectAcl

// Whether an <AccessControlPolicy> document grants exactly `owner` (a canonical user id)
// FULL_CONTROL and nothing else; false for anything else, including malformed XML.
bool GrantsOnlyOwner(std::string_view body, const std::string& owner);

}  // namespace kura::s3
