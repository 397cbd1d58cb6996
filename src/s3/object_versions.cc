#include "s3/object_versions.h"

#include "common/time_format.h"
#include "s3/blob_io.h"
#include "s3/object_lock_headers.h"
#include "s3/response.h"
#include "s3/version_id.h"
#include "store/awaitable.h"

namespace kura::s3 {

Result<std::optional<std::string>> RequestedVersionId(const S3Request& request) {
  if (!request.HasQuery("versionId")) return std::optional<std::string>();
  std::string version_id = request.Query("versionId");
  if (!IsWellFormedVersionId(version_id)) {
    Error error = MakeError(ErrorCode::kInvalidArgument, version_id.empty()
                                                             ? "Version id cannot be the empty string"
                                                             : "Invalid version id specified");
    error.details = {{"ArgumentName", "versionId"}, {"ArgumentValue", version_id}};
    return error;
  }
  return std::optional<std::string>(std::move(version_id));
}

Result<store::ObjectRecord> ReadAddressedVersion(S3Env& env, const S3Call& call) {
  auto version_id = RequestedVersionId(call.request);
  if (!version_id) return version_id.error();
  std::optional<std::string_view> wanted;
  if (*version_id) wanted = **version_id;
  auto object = env.metadata.GetObjectMeta(call.request.bucket, call.request.key, wanted);
  if (!object) return object.error();
  if (object->is_delete_marker) {
    return MakeError(*version_id ? ErrorCode::kMethodNotAllowed : ErrorCode::kNoSuchKey);
  }
  return object;
}

net::awaitable<Result<store::PutOutcome>> CommitObject(S3Env& env, const S3Call& call,
                                                       store::ObjectRecord& object,
                                                       const store::WritePrecondition& precondition) {
  object.version_id = NewVersionId(env.random);
  auto outcome = co_await store::StoreWrite<store::PutOutcome>([&](auto done) {
    env.metadata.PutObject(object, precondition, LockContextFor(env, call, call.request.key), std::move(done));
  });
  if (!outcome) {
    DeleteBlobLater(env, object.blob);
    co_return outcome.error();
  }
  object.version_id = outcome->version_id;
  for (auto& blob : outcome->unreferenced) DeleteBlobLater(env, std::move(blob));
  outcome->unreferenced.clear();
  co_return outcome;
}

void SetWrittenVersionId(ResponseHead& head, store::VersioningState versioning,
                         std::string_view version_id) {
  switch (versioning) {
    case store::VersioningState::kUnversioned: return;
    case store::VersioningState::kEnabled: head.fields.set("x-amz-version-id", version_id); return;
    case store::VersioningState::kSuspended:
      head.fields.set("x-amz-version-id", store::kNullVersionId);
      return;
  }
}

void SetReadVersionId(ResponseHead& head, const store::ObjectRecord& object, bool requested) {
  if (requested || object.version_id != store::kNullVersionId) {
    head.fields.set("x-amz-version-id", object.version_id);
  }
}

net::awaitable<Result<void>> RespondDeleteMarker(S3Call& call, const store::ObjectRecord& marker,
                                                 bool requested) {
  Error error = MakeError(ErrorCode::kNoSuchKey);
  if (requested) {
    error = MakeError(ErrorCode::kMethodNotAllowed);
    error.details = {{"Method", std::string(bhttp::to_string(call.head.method))},
                     {"ResourceType", "DeleteMarker"}};
  }
  auto head = NewHead(call, static_cast<bhttp::status>(error.http_status()));
  head.fields.set("x-amz-delete-marker", "true");
  head.fields.set("x-amz-version-id", marker.version_id);
  if (requested) {
    head.fields.set(bhttp::field::allow, "DELETE");
    head.fields.set(bhttp::field::last_modified, FormatHttpDate(marker.last_modified));
  }
  co_return co_await RespondWithError(call, std::move(head), error);
}

}  // namespace kura::s3
