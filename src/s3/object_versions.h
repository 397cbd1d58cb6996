// What the object handlers share about versions: the ?versionId= a request names, the
// x-amz-version-id / x-amz-delete-marker headers of their answers, and S3's answers for a
// delete marker read as an object (404 NoSuchKey when it is the latest version, 405
// MethodNotAllowed when named by id), which carry headers the pipeline's error rendering
// cannot add. Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html and
// GetObject / HeadObject / DeleteObject in the S3 API Reference. Thread-safety: pure.
#pragma once

#include <optional>
#include <string>

#include "s3/s3_call.h"
#include "store/records.h"

namespace kura::s3 {

// The version a request names with ?versionId= (nullopt: the latest). kInvalidArgument for an
// id kura could not have issued (empty included), as S3 answers it.
Result<std::optional<std::string>> RequestedVersionId(const S3Request& request);

// The metadata of the version ?versionId= names (else the latest) for the subresources of an
// object (tagging, ACL): a delete marker is kNoSuchKey as the latest, kMethodNotAllowed by id.
// Errors: RequestedVersionId's, kNoSuchBucket, kNoSuchKey, kNoSuchVersion, kMethodNotAllowed.
Result<store::ObjectRecord> ReadAddressedVersion(S3Env& env, const S3Call& call);

// Commits `object` (its blob already durable) as a new version of its key: the version id is
// minted here (the store keeps it only if the bucket is Enabled) and the Object Lock context is
// WriteLockContext's. On failure the object's blob is deleted; on success, the blobs the write
// left unreferenced (a replaced "null" version's).
net::awaitable<Result<store::PutOutcome>> CommitObject(S3Env& env, const S3Call& call,
                                                       store::ObjectRecord& object,
                                                       const store::WritePrecondition& precondition);

// x-amz-version-id of a write: the new version's id on an Enabled bucket, "null" on a Suspended
// one (the version written is the null version), none on a bucket never versioned.
void SetWrittenVersionId(ResponseHead& head, store::VersioningState versioning,
                         std::string_view version_id);

// x-amz-version-id of a read: the version's id when it has one of its own, or when the request
// named it. A "null" version read as the latest gets none: telling a never-versioned bucket
// from a Suspended one would cost a bucket read on every GET.
void SetReadVersionId(ResponseHead& head, const store::ObjectRecord& object, bool requested);

// The answer to a GET or HEAD that reached a delete marker: 404 NoSuchKey for the latest
// version, 405 MethodNotAllowed (Allow: DELETE) for a marker named by ?versionId=; both with
// x-amz-delete-marker: true and the marker's x-amz-version-id.
net::awaitable<Result<void>> RespondDeleteMarker(S3Call& call, const store::ObjectRecord& marker,
                                                 bool requested);

}  // namespace kura::s3
