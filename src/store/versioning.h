// The versioning and Object Lock rules of the object writes, shared by every MetadataStore so
// that they cannot drift apart: each store exposes its rows through VersionRows (called inside
// its write transaction, under its lock), and these functions decide what a write does.
// S3's rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html and
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html.
//
// Model: each key has at most one current version (the latest, possibly a delete marker) and
// any number of noncurrent ones; a key has noncurrent versions only while it has a current one.
// A per-store sequence orders the versions of a key: the current one has the highest.
// Unversioned buckets keep one "null" version per key, sequence 0, and never touch the sequence
// or the noncurrent versions. Thread-safety: as the VersionRows given.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "store/records.h"

namespace kura::store {

// A stored version: its record (is_latest set, no inline bytes), its sequence, and a handle the
// implementation keeps with it (the SQLite store: its inline body's row id).
struct StoredVersion {
  ObjectRecord record{};
  int64_t sequence = 0;
  int64_t handle = 0;
};

// The rows one write transaction reads and changes.
class VersionRows {
 public:
  virtual ~VersionRows() = default;
  // The bucket's name and what the write rules read (versioning, Object Lock and its default
  // retention); other fields may be left empty: this read is on every write's path.
  virtual Result<std::optional<BucketRecord>> FindBucket(std::string_view bucket) = 0;
  virtual Result<std::optional<StoredVersion>> FindCurrent(std::string_view bucket,
                                                           std::string_view key) = 0;
  virtual Result<std::optional<StoredVersion>> FindNoncurrent(std::string_view bucket,
                                                              std::string_view key,
                                                              std::string_view version_id) = 0;
  // Writes `object` (with its inline bytes) as the current version, replacing `replaced` (the
  // current version, or null when there is none).
  virtual Result<void> WriteCurrent(const ObjectRecord& object, int64_t sequence,
                                    const StoredVersion* replaced) = 0;
  // Moves the current version, unchanged, to the noncurrent versions.
  virtual Result<void> Demote(const StoredVersion& current) = 0;
  virtual Result<void> Remove(const StoredVersion& version) = 0;  // current or not
  // Makes the newest noncurrent version of the key current (none: nothing happens).
  virtual Result<void> PromoteNewest(std::string_view bucket, std::string_view key) = 0;
  // Rewrites a version's metadata, keeping its blob and sequence.
  virtual Result<void> RewriteMeta(const StoredVersion& version, const ObjectRecord& object) = 0;
  virtual Result<int64_t> NextSequence() = 0;
};

// True when the version cannot be deleted or overwritten: legal hold, or retention in force
// (COMPLIANCE always, GOVERNANCE unless bypassed).
bool IsLocked(const ObjectRecord& version, const LockContext& lock);

// Checks a bucket update: versioning never returns to unversioned; Object Lock stays on, needs
// versioning Enabled, and keeps it Enabled. kInvalidBucketState.
Result<void> CheckBucketChange(const BucketRecord& before, const BucketRecord& after);

Result<PutOutcome> PutVersion(VersionRows& rows, ObjectRecord object,
                              const WritePrecondition& precondition, const LockContext& lock);
Result<DeleteOutcome> DeleteVersion(VersionRows& rows, const DeleteRequest& request);
Result<void> UpdateVersion(VersionRows& rows, std::string_view bucket, std::string_view key,
                           const std::optional<std::string>& version_id, const LockContext& lock,
                           const std::function<Result<void>(ObjectRecord&)>& mutate);

}  // namespace kura::store
