#include "s3/acl_handlers.h"
#include "s3/bucket_encryption.h"
#include "s3/bucket_handlers.h"
#include "s3/bucket_policy.h"
#include "s3/bucket_policy_cache.h"
#include "s3/bucket_versioning.h"
#include "s3/copy_source.h"
#include "s3/cors.h"
#include "s3/delete_objects.h"
#include "s3/honoured_headers.h"
#include "s3/lifecycle_handlers.h"
#include "s3/list_objects.h"
#include "s3/metadata_reads.h"
#include "s3/multipart_handlers.h"
#include "s3/object_attributes.h"
#include "s3/object_lock.h"
#include "s3/object_handlers.h"
#include "s3/ownership_controls.h"
#include "s3/post_object.h"
#include "s3/public_access_block.h"
#include "s3/s3_call.h"
#include "s3/tagging.h"

namespace kura::s3 {
namespace {
// The owner accounts x-amz-expected-bucket-owner and x-amz-source-expected-bucket-owner name:
// the bucket's and, for a copy, the source bucket's (cache lookups, no store read).
std::pair<std::string, std::string> BucketOwners(S3Env& env, const S3Call& call) {
  std::pair<std::string, std::string> owners;
  if (!call.request.bucket.empty()) owners.first = env.policies.OwnerOf(call.request.bucket);
  if (std::string_view header = call.Header("x-amz-copy-source"); !header.empty()) {
    if (auto source = ParseCopySource(header)) owners.second = env.policies.OwnerOf(source->bucket);
  }
  return owners;
}

Error NotImplemented(const S3Call& call) {
  std::string what = call.request.unsupported_what.empty()
                         ? std::string(OperationName(call.request.operation))
                         : call.request.unsupported_what;
  return MakeError(ErrorCode::kNotImplemented,
                   "A header or query you provided implies functionality that is not implemented: " + what);
}
}  // namespace

net::awaitable<Result<void>> Dispatch(S3Env& env, S3Call& call) {
  // Only a request with an Origin reads the bucket's CORS rules.
  if (call.request.operation != S3Operation::kPreflightRequest && call.HasHeader("origin")) {
    co_await ReadStep(env, [&] {
      AddCorsHeaders(env, call);
      return true;
    });
  }
  // Before any handler, and so before any body byte is read: a header kura would not act on.
  if (call.request.operation != S3Operation::kUnsupported) {
    auto [bucket_owner, source_owner] = BucketOwners(env, call);
    KURA_CO_TRY(CheckRequestHeaders(call.request.operation, call.headers, bucket_owner, source_owner));
    KURA_CO_TRY(CheckAmzQueryParameters(call.request));
    KURA_CO_TRY(CheckVersionId(call.request));
  }
  switch (call.request.operation) {
    case S3Operation::kListBuckets: co_return co_await ListBuckets(env, call);
    case S3Operation::kCreateBucket: co_return co_await CreateBucket(env, call);
    case S3Operation::kDeleteBucket: co_return co_await DeleteBucket(env, call);
    case S3Operation::kHeadBucket: co_return co_await HeadBucket(env, call);
    case S3Operation::kGetBucketLocation: co_return co_await GetBucketLocation(env, call);
    case S3Operation::kGetBucketVersioning: co_return co_await GetBucketVersioning(env, call);
    case S3Operation::kListObjects:
    case S3Operation::kListObjectsV2: co_return co_await ListObjects(env, call);
    case S3Operation::kListObjectVersions: co_return co_await ListObjectVersions(env, call);
    case S3Operation::kPutObject: co_return co_await PutObject(env, call);
    case S3Operation::kGetObject:
    case S3Operation::kHeadObject: co_return co_await GetObject(env, call);
    case S3Operation::kDeleteObject: co_return co_await DeleteObject(env, call);
    case S3Operation::kCopyObject: co_return co_await CopyObject(env, call);
    case S3Operation::kCreateMultipartUpload: co_return co_await CreateMultipartUpload(env, call);
    case S3Operation::kUploadPart: co_return co_await UploadPart(env, call);
    case S3Operation::kUploadPartCopy: co_return co_await UploadPartCopy(env, call);
    case S3Operation::kCompleteMultipartUpload: co_return co_await CompleteMultipartUpload(env, call);
    case S3Operation::kAbortMultipartUpload: co_return co_await AbortMultipartUpload(env, call);
    case S3Operation::kListParts: co_return co_await ListParts(env, call);
    case S3Operation::kListMultipartUploads: co_return co_await ListMultipartUploads(env, call);
    case S3Operation::kDeleteObjects: co_return co_await DeleteObjects(env, call);
    case S3Operation::kGetBucketPolicy: co_return co_await GetBucketPolicy(env, call);
    case S3Operation::kPutBucketPolicy: co_return co_await PutBucketPolicy(env, call);
    case S3Operation::kDeleteBucketPolicy: co_return co_await DeleteBucketPolicy(env, call);
    case S3Operation::kGetBucketPolicyStatus: co_return co_await GetBucketPolicyStatus(env, call);
    case S3Operation::kGetPublicAccessBlock: co_return co_await GetPublicAccessBlock(env, call);
    case S3Operation::kPutPublicAccessBlock: co_return co_await PutPublicAccessBlock(env, call);
    case S3Operation::kDeletePublicAccessBlock: co_return co_await DeletePublicAccessBlock(env, call);
    case S3Operation::kGetBucketAcl:
    case S3Operation::kGetObjectAcl: co_return co_await GetAcl(env, call);
    case S3Operation::kPutBucketAcl:
    case S3Operation::kPutObjectAcl: co_return co_await PutAcl(env, call);
    case S3Operation::kGetBucketCors: co_return co_await GetBucketCors(env, call);
    case S3Operation::kPutBucketCors: co_return co_await PutBucketCors(env, call);
    case S3Operation::kDeleteBucketCors: co_return co_await DeleteBucketCors(env, call);
    case S3Operation::kPreflightRequest: co_return co_await PreflightRequest(env, call);
    case S3Operation::kPostObject: co_return co_await PostObject(env, call);
    case S3Operation::kGetObjectTagging: co_return co_await GetObjectTagging(env, call);
    case S3Operation::kPutObjectTagging: co_return co_await PutObjectTagging(env, call);
    case S3Operation::kDeleteObjectTagging: co_return co_await DeleteObjectTagging(env, call);
    case S3Operation::kGetBucketTagging: co_return co_await GetBucketTagging(env, call);
    case S3Operation::kPutBucketTagging: co_return co_await PutBucketTagging(env, call);
    case S3Operation::kDeleteBucketTagging: co_return co_await DeleteBucketTagging(env, call);
    case S3Operation::kGetObjectAttributes: co_return co_await GetObjectAttributes(env, call);
    case S3Operation::kGetObjectLockConfiguration: co_return co_await GetObjectLockConfiguration(env, call);
    case S3Operation::kPutObjectLockConfiguration: co_return co_await PutObjectLockConfiguration(env, call);
    case S3Operation::kGetObjectRetention: co_return co_await GetObjectRetention(env, call);
    case S3Operation::kPutObjectRetention: co_return co_await PutObjectRetention(env, call);
    case S3Operation::kGetObjectLegalHold: co_return co_await GetObjectLegalHold(env, call);
    case S3Operation::kPutObjectLegalHold: co_return co_await PutObjectLegalHold(env, call);
    case S3Operation::kGetBucketLifecycleConfiguration:
      co_return co_await GetBucketLifecycleConfiguration(env, call);
    case S3Operation::kPutBucketLifecycleConfiguration:
      co_return co_await PutBucketLifecycleConfiguration(env, call);
    case S3Operation::kDeleteBucketLifecycle: co_return co_await DeleteBucketLifecycle(env, call);
    case S3Operation::kPutBucketVersioning: co_return co_await PutBucketVersioning(env, call);
    case S3Operation::kGetBucketOwnershipControls: co_return co_await GetBucketOwnershipControls(env, call);
    case S3Operation::kPutBucketOwnershipControls: co_return co_await PutBucketOwnershipControls(env, call);
    case S3Operation::kDeleteBucketOwnershipControls:
      co_return co_await DeleteBucketOwnershipControls(env, call);
    case S3Operation::kGetBucketEncryption: co_return co_await GetBucketEncryption(env, call);
    case S3Operation::kPutBucketEncryption: co_return co_await PutBucketEncryption(env, call);
    case S3Operation::kDeleteBucketEncryption: co_return co_await DeleteBucketEncryption(env, call);
    case S3Operation::kUnsupported:
      co_return NotImplemented(call);
  }
  co_return NotImplemented(call);
}

}  // namespace kura::s3
