// The source of CopyObject and UploadPartCopy: x-amz-copy-source parsed ("[/]bucket/key", URL-
// encoded, optionally "?versionId=ID" to copy that version), authorized (s3:GetObject on the
// source, s3:GetObjectVersion when a version is named; the pipeline authorized the target),
// loaded, and held to x-amz-copy-source-if-match / -if-none-match / -if-modified-since /
// -if-unmodified-since with S3's precedence. Spec: CopyObject and UploadPartCopy in the S3 API
// Reference. Thread-safety: pure functions over thread-safe services.
#pragma once

#include <optional>
#include <string>

#include "s3/s3_call.h"

namespace kura::s3 {

struct CopySourceName {
  std::string bucket;
  std::string key;
  std::optional<std::string> version_id;  // nullopt: the latest version
};

// Errors: kInvalidArgument (malformed header, a version id kura could not have issued).
Result<CopySourceName> ParseCopySource(std::string_view header);

struct CopySource {
  CopySourceName name;
  store::ObjectRecord object;  // inline bytes included
};

// Parses, authorizes and loads the source and checks the copy-source conditions.
// Errors: as ParseCopySource, kAccessDenied, kNoSuchBucket, kNoSuchKey (the latest version is a
// delete marker too), kNoSuchVersion, kInvalidRequest (a delete marker named by version id),
// kPreconditionFailed.
Result<CopySource> ResolveCopySource(S3Env& env, const S3Call& call);

// x-amz-copy-source-version-id for the answer of a copy from `source` (as x-amz-version-id of a
// read: see SetReadVersionId).
void SetCopySourceVersionId(ResponseHead& head, const CopySource& source);

}  // namespace kura::s3
