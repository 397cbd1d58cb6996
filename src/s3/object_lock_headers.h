// Object Lock on the object paths: the x-amz-object-lock-* headers of the writes (PutObject,
// CopyObject, CreateMultipartUpload, and the same fields of a POST upload form), the lock headers
// GET/HEAD answer, and the LockContext every write that may remove, overwrite or relax a locked
// version hands the store (which enforces the rules inside its transaction, store/versioning.h).
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html and the
// PutObject / GetObject pages of the S3 API Reference. Thread-safety: pure functions over the call.
#pragma once

#include <optional>
#include <string_view>

#include "common/error.h"
#include "common/http_head.h"
#include "s3/s3_call.h"
#include "store/records.h"

namespace kura::s3 {

// "GOVERNANCE" / "COMPLIANCE" (exact case, as S3 compares them); nullopt for anything else.
std::optional<store::RetentionMode> ParseRetentionMode(std::string_view text);
std::string_view RetentionModeName(store::RetentionMode mode);  // "" for kNone

// Reads x-amz-object-lock-mode and -retain-until-date (both or neither) and
// x-amz-object-lock-legal-hold (ON|OFF) into `record`. kInvalidArgument for a bad value.
Result<void> ReadObjectLockHeaders(const RequestHead& request, store::ObjectRecord& record);

// Checks a write whose record carries lock fields (no-op otherwise): `bucket` (the target, which
// the caller has read) has Object Lock (else kInvalidRequest), the retain-until date is in the
// future (kInvalidArgument), and, when `needs_integrity` (PutObject), the request carries
// Content-MD5 or a checksum (kInvalidRequest).
Result<void> CheckObjectLockWrite(S3Env& env, const S3Call& call, const store::BucketRecord& bucket,
                                  const store::ObjectRecord& record, bool needs_integrity);


// The LockContext of a request: now, and bypass_governance only when the request says
// x-amz-bypass-governance-retention: true AND the principal may s3:BypassGovernanceRetention on
// bucket/key. Without the permission the header changes nothing: the store then refuses a
// GOVERNANCE-locked version with AccessDenied, and an unlocked one is written as usual.
store::LockContext LockContextFor(S3Env& env, const S3Call& call, std::string_view key);

// x-amz-object-lock-mode, -retain-until-date and -legal-hold for GET/HEAD, each only when the
// principal may read it (s3:GetObjectRetention / s3:GetObjectLegalHold), as S3 does.
void WriteObjectLockHeaders(const S3Call& call, const store::ObjectRecord& record,
                            ResponseHead& head);

}  // namespace kura::s3
