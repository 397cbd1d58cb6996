// The source of CopyObject and UploadPartCopy: x-amz-copy-source parsed ("[/]bucket/key", URL-
// encoded, optionally "?versionId=null" — kura's buckets are unversioned, so any other version id
// is rejected), authorized (s3:GetObject on the source; the pipeline authorized the target),
// loaded, and held to x-amz-copy-source-if-match / -if-none-match / -if-modified-since /
// -if-unmodified-since with S3's precedence. Spec: CopyObject and UploadPartCopy in the S3 API
// Reference. Thread-safety: pure functions over thread-safe services.
#pragma once

#include <string>

#include "s3/s3_call.h"

namespace kura::s3 {

struct CopySourceName {
  std::string bucket;
  std::string key;
};

// Errors: kInvalidArgument (malformed header, version id other than "null").
Result<CopySourceName> ParseCopySource(std::string_view header);

struct CopySource {
  CopySourceName name;
  store::ObjectRecord object;  // inline bytes included
};

// Parses, authorizes and loads the source and checks the copy-source conditions.
// Errors: as ParseCopySource, kAccessDenied, kNoSuchBucket, kNoSuchKey, kPreconditionFailed.
Result<CopySource> ResolveCopySource(S3Env& env, const S3Call& call);

}  // namespace kura::s3
