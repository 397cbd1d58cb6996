// The ACL operations — GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl (with versionId) —
// and what the writes that take an ACL (CreateBucket, PutObject, CopyObject,
// CreateMultipartUpload, POST upload) share: the request's ACL resolved (s3/acl.h ResolveAcl)
// against the bucket into the stored form (store records' `acl`).
// While a bucket's Object Ownership is BucketOwnerEnforced its objects' stored ACLs are kept but
// ignored: GetObjectAcl reports the bucket owner's FULL_CONTROL and PutObjectAcl changes nothing,
// so the ACLs come back if ACLs are enabled again, as in S3.
// Spec: the four operations in the S3 API Reference;
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html.
// Thread-safety: handlers, one per call.
#pragma once

#include <string>

#include "s3/acl.h"
#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> GetAcl(S3Env& env, S3Call& call);  // GetBucketAcl, GetObjectAcl
net::awaitable<Result<void>> PutAcl(S3Env& env, S3Call& call);  // PutBucketAcl, PutObjectAcl

// The accounts ACLs may name (the management account's canonical id, --account-name,
// --account-email, and every account of env.accounts).
AclAccounts AccountsOf(const S3Env& env);

// The x-amz-acl and x-amz-grant-* headers of the call (views into its headers).
AclRequest AclRequestOf(const S3Call& call);

// The stored form of the ACL a new bucket gets from the call's headers, with `ownership` (the
// x-amz-object-ownership asked for). As in S3, a request that sets an ACL must also be allowed
// s3:PutBucketAcl, one that sets the ownership s3:PutBucketOwnershipControls. Errors:
// ResolveAcl's, kAccessDenied.
Result<std::string> NewBucketAcl(const S3Env& env, const S3Call& call,
                                 store::ObjectOwnership ownership);

// The stored form of the ACL a new object (PutObject, CopyObject, CreateMultipartUpload) gets
// from the call's headers. As in S3, a request that sets an ACL must also be allowed
// s3:PutObjectAcl on the object. Errors: ResolveAcl's, kAccessDenied.
Result<std::string> RequestedObjectAcl(const S3Env& env, const S3Call& call,
                                       const store::BucketRecord& bucket);

// The stored form (ObjectRecord::acl) of the ACL a new object in `bucket` gets from `request`,
// written by `writer_account` (who owns it under ObjectWriter). Errors: ResolveAcl's.
Result<std::string> NewObjectAcl(const S3Env& env, std::string_view writer_account,
                                 const AclRequest& request, const store::BucketRecord& bucket);

// The canonical id of the bucket's owner.
std::string BucketOwnerOf(const S3Env& env, const store::BucketRecord& bucket);

}  // namespace kura::s3
