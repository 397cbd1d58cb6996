// Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy (x-amz-copy-source-range),
// CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads. Parts are
// always file blobs; completing writes an object whose blob references the part files in order
// (BlobRef::kParts), so no byte is copied. AWS's rules: part numbers 1–10000, parts ≥ 5 MiB but
// the last (EntityTooSmall), InvalidPart, InvalidPartOrder, NoSuchUpload, the "md5-of-md5s-N"
// ETag, COMPOSITE and FULL_OBJECT checksums.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html and each
// operation's page in the S3 API Reference.
#pragma once

#include "s3/s3_call.h"

namespace kura::s3 {

net::awaitable<Result<void>> CreateMultipartUpload(S3Env& env, S3Call& call);
net::awaitable<Result<void>> UploadPart(S3Env& env, S3Call& call);
net::awaitable<Result<void>> UploadPartCopy(S3Env& env, S3Call& call);
net::awaitable<Result<void>> AbortMultipartUpload(S3Env& env, S3Call& call);
net::awaitable<Result<void>> CompleteMultipartUpload(S3Env& env, S3Call& call);  // multipart_complete.cc
net::awaitable<Result<void>> ListParts(S3Env& env, S3Call& call);                // multipart_list.cc
net::awaitable<Result<void>> ListMultipartUploads(S3Env& env, S3Call& call);     // multipart_list.cc

struct RequestedPart {
  int number = 0;
  std::string etag;      // unquoted
  std::string checksum;  // "" when the request names none
};

// The <CompleteMultipartUpload> part list, with each part's Checksum<algorithm> when the upload
// has one. Errors: kMalformedXML (not XML, no part), kInvalidArgument (a part number outside
// 1–10000), kInvalidPartOrder (numbers not ascending).
Result<std::vector<RequestedPart>> ParsePartList(std::string_view body,
                                                 std::string_view checksum_algorithm);

// "partNumber" as S3 accepts it: an integer 1–10000, else kInvalidArgument.
Result<int> PartNumberOf(const S3Request& request);

}  // namespace kura::s3
