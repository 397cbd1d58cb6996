#include "store/versioning.h"

#include <chrono>

#include "store/preconditions.h"

namespace kura::store {
namespace {

bool HasLockFields(const ObjectRecord& object) {
  return object.retention_mode != RetentionMode::kNone || object.legal_hold;
}

// retain_until of a version written at `from` under the bucket's default retention.
TimePoint DefaultRetainUntil(const DefaultRetention& retention, TimePoint from) {
  using std::chrono::days;
  auto day = std::chrono::floor<days>(from);
  std::chrono::year_month_day date{day};
  date += std::chrono::years(retention.years);  // calendar years, as AWS counts them
  if (!date.ok()) date = date.year() / date.month() / std::chrono::last;  // 29 Feb + 1 year
  return std::chrono::sys_days(date) + days(retention.days) + (from - day);
}

Result<void> ApplyLockRules(const BucketRecord& bucket, ObjectRecord& object) {
  if (!bucket.object_lock_enabled) {
    if (HasLockFields(object)) {
      return MakeError(ErrorCode::kInvalidRequest, "Bucket is missing Object Lock Configuration");
    }
    return Ok();
  }
  const DefaultRetention& retention = bucket.default_retention;
  if (object.retention_mode == RetentionMode::kNone && retention.mode != RetentionMode::kNone) {
    object.retention_mode = retention.mode;
    object.retain_until = DefaultRetainUntil(retention, object.last_modified);
  }
  return Ok();
}

Error Locked() {
  return MakeError(ErrorCode::kAccessDenied, "Access Denied because object protected by object lock.");
}

// The blobs a removed version leaves unreferenced (a delete marker has none).
std::vector<BlobRef> BlobsOf(const StoredVersion& version) {
  if (version.record.is_delete_marker) return {};
  return {version.record.blob};
}

// Writes `object` as the "null" version (Suspended or unversioned bucket): it replaces the
// existing "null" version, current or not, unless that one is locked.
Result<std::vector<BlobRef>> ReplaceNullVersion(VersionRows& rows, ObjectRecord& object,
                                                std::optional<StoredVersion>& current,
                                                int64_t sequence, const LockContext& lock,
                                                bool unversioned) {
  object.version_id = std::string(kNullVersionId);
  if (current && current->record.version_id == kNullVersionId) {
    if (IsLocked(current->record, lock)) return Locked();
    KURA_TRY(rows.WriteCurrent(object, sequence, &*current));
    return BlobsOf(*current);
  }
  // A bucket never versioned has no noncurrent versions: its writes never read that table.
  if (!current && unversioned) {
    KURA_TRY(rows.WriteCurrent(object, sequence, nullptr));
    return std::vector<BlobRef>();
  }
  auto old_null = rows.FindNoncurrent(object.bucket, object.key, kNullVersionId);
  if (!old_null) return old_null.error();
  std::vector<BlobRef> freed;
  if (*old_null) {
    if (IsLocked((*old_null)->record, lock)) return Locked();
    KURA_TRY(rows.Remove(**old_null));
    freed = BlobsOf(**old_null);
  }
  if (current) KURA_TRY(rows.Demote(*current));
  KURA_TRY(rows.WriteCurrent(object, sequence, nullptr));
  return freed;
}

// Writes `object` as the new latest version per the bucket's versioning state.
Result<std::vector<BlobRef>> WriteLatest(VersionRows& rows, const BucketRecord& bucket,
                                         ObjectRecord& object,
                                         std::optional<StoredVersion>& current,
                                         const LockContext& lock) {
  object.is_latest = true;
  if (bucket.versioning == VersioningState::kUnversioned) {
    return ReplaceNullVersion(rows, object, current, 0, lock, /*unversioned=*/true);
  }
  auto sequence = rows.NextSequence();
  if (!sequence) return sequence.error();
  if (bucket.versioning == VersioningState::kSuspended) {
    return ReplaceNullVersion(rows, object, current, *sequence, lock, /*unversioned=*/false);
  }
  if (object.version_id.empty() || object.version_id == kNullVersionId) {
    return MakeError(ErrorCode::kInvalidArgument, "a version id is required on a versioned bucket");
  }
  if (current) KURA_TRY(rows.Demote(*current));
  KURA_TRY(rows.WriteCurrent(object, *sequence, nullptr));
  return std::vector<BlobRef>();
}

Result<BucketRecord> RequireBucket(VersionRows& rows, std::string_view name) {
  auto bucket = rows.FindBucket(name);
  if (!bucket) return bucket.error();
  if (!*bucket) return ErrorCode::kNoSuchBucket;
  return std::move(**bucket);
}

// The version `version_id` names (nullopt: the latest), or nullopt.
Result<std::optional<StoredVersion>> FindVersion(VersionRows& rows, std::string_view bucket,
                                                 std::string_view key,
                                                 const std::optional<std::string>& version_id) {
  auto current = rows.FindCurrent(bucket, key);
  if (!current) return current.error();
  if (!version_id || (*current && (*current)->record.version_id == *version_id)) return current;
  return rows.FindNoncurrent(bucket, key, *version_id);
}

Result<DeleteOutcome> DeleteOneVersion(VersionRows& rows, const DeleteRequest& request,
                                       DeleteOutcome outcome) {
  auto target = FindVersion(rows, request.bucket, request.key, request.version_id);
  if (!target) return target.error();
  if (!*target) return outcome;
  const StoredVersion& version = **target;
  if (IsLocked(version.record, request.lock)) return Locked();
  KURA_TRY(rows.Remove(version));
  if (version.record.is_latest) KURA_TRY(rows.PromoteNewest(request.bucket, request.key));
  outcome.version_id = version.record.version_id;
  outcome.delete_marker = version.record.is_delete_marker;
  outcome.unreferenced = BlobsOf(version);
  return outcome;
}

ObjectRecord DeleteMarker(const DeleteRequest& request) {
  ObjectRecord marker;
  marker.bucket = request.bucket;
  marker.key = request.key;
  marker.version_id = request.marker_version_id;
  marker.last_modified = request.lock.now;
  marker.is_delete_marker = true;
  return marker;
}

// Whether a retention change from `before` to `after` is allowed under `lock`.
bool RetentionChangeAllowed(const ObjectRecord& before, const ObjectRecord& after,
                            const LockContext& lock) {
  bool in_force = before.retention_mode != RetentionMode::kNone && before.retain_until > lock.now;
  if (!in_force) return true;
  bool extends = after.retention_mode != RetentionMode::kNone &&
                 after.retain_until >= before.retain_until;
  if (before.retention_mode == RetentionMode::kCompliance) {
    return extends && after.retention_mode == RetentionMode::kCompliance;
  }
  return extends || lock.bypass_governance;  // GOVERNANCE: may also become COMPLIANCE
}

}  // namespace

bool IsLocked(const ObjectRecord& version, const LockContext& lock) {
  if (version.legal_hold) return true;
  if (version.retention_mode == RetentionMode::kNone || version.retain_until <= lock.now) {
    return false;
  }
  return version.retention_mode == RetentionMode::kCompliance || !lock.bypass_governance;
}

Result<void> CheckBucketChange(const BucketRecord& before, const BucketRecord& after) {
  auto invalid = [](const char* why) { return MakeError(ErrorCode::kInvalidBucketState, why); };
  if (before.versioning != VersioningState::kUnversioned &&
      after.versioning == VersioningState::kUnversioned) {
    return invalid("Versioning cannot return to unversioned; it can be suspended.");
  }
  if (before.object_lock_enabled && !after.object_lock_enabled) {
    return invalid("Object Lock cannot be disabled once enabled.");
  }
  if (after.object_lock_enabled && after.versioning != VersioningState::kEnabled) {
    return invalid(before.object_lock_enabled
                       ? "An Object Lock configuration is present on this bucket, so the "
                         "versioning state cannot be changed."
                       : "Versioning must be 'Enabled' on the bucket to apply a Object Lock "
                         "configuration");
  }
  return Ok();
}

Result<PutOutcome> PutVersion(VersionRows& rows, ObjectRecord object,
                              const WritePrecondition& precondition, const LockContext& lock) {
  auto bucket = RequireBucket(rows, object.bucket);
  if (!bucket) return bucket.error();
  auto current = rows.FindCurrent(object.bucket, object.key);
  if (!current) return current.error();
  // A delete marker is no object to a conditional write.
  bool live = *current && !(*current)->record.is_delete_marker;
  KURA_TRY(CheckPrecondition(precondition, live ? &(*current)->record : nullptr));
  object.is_delete_marker = false;
  KURA_TRY(ApplyLockRules(*bucket, object));
  auto freed = WriteLatest(rows, *bucket, object, *current, lock);
  if (!freed) return freed.error();
  return PutOutcome{bucket->versioning, object.version_id, std::move(freed).value()};
}

Result<DeleteOutcome> DeleteVersion(VersionRows& rows, const DeleteRequest& request) {
  auto bucket = RequireBucket(rows, request.bucket);
  if (!bucket) return bucket.error();
  DeleteOutcome outcome;
  outcome.versioning = bucket->versioning;
  if (!request.precondition.empty()) {
    auto current = rows.FindCurrent(request.bucket, request.key);
    if (!current) return current.error();
    bool live = *current && !(*current)->record.is_delete_marker;
    KURA_TRY(CheckPrecondition(request.precondition, live ? &(*current)->record : nullptr));
  }
  if (request.version_id || bucket->versioning == VersioningState::kUnversioned) {
    return DeleteOneVersion(rows, request, std::move(outcome));
  }
  auto current = rows.FindCurrent(request.bucket, request.key);
  if (!current) return current.error();
  ObjectRecord marker = DeleteMarker(request);
  auto freed = WriteLatest(rows, *bucket, marker, *current, request.lock);
  if (!freed) return freed.error();
  outcome.version_id = marker.version_id;
  outcome.delete_marker = true;
  outcome.unreferenced = std::move(freed).value();
  return outcome;
}

Result<void> UpdateVersion(VersionRows& rows, std::string_view bucket_name, std::string_view key,
                           const std::optional<std::string>& version_id, const LockContext& lock,
                           const std::function<Result<void>(ObjectRecord&)>& mutate) {
  auto bucket = RequireBucket(rows, bucket_name);
  if (!bucket) return bucket.error();
  auto target = FindVersion(rows, bucket_name, key, version_id);
  if (!target) return target.error();
  if (!*target) return version_id ? ErrorCode::kNoSuchVersion : ErrorCode::kNoSuchKey;
  const ObjectRecord& before = (*target)->record;
  if (before.is_delete_marker) {
    return version_id ? ErrorCode::kMethodNotAllowed : ErrorCode::kNoSuchKey;
  }
  ObjectRecord after = before;
  KURA_TRY(mutate(after));
  after.bucket = before.bucket;
  after.key = before.key;
  after.version_id = before.version_id;
  after.is_delete_marker = false;
  after.is_latest = before.is_latest;
  after.blob = before.blob;
  if (!bucket->object_lock_enabled && HasLockFields(after)) {
    return MakeError(ErrorCode::kInvalidRequest, "Bucket is missing Object Lock Configuration");
  }
  if (!RetentionChangeAllowed(before, after, lock)) return Locked();
  return rows.RewriteMeta(**target, after);
}

}  // namespace kura::store
