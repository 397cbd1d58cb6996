// DeleteObject: without ?versionId= S3's delete of the key (on a versioned bucket a delete
// marker, Suspended: the "null" one), with it the permanent delete of that version; conditional
// deletes (If-Match, x-amz-if-match-last-modified-time, x-amz-if-match-size) are checked by the
// store in the delete's transaction. Idempotent: 204 whether or not there was anything to delete.
#include <charconv>

#include "common/time_format.h"
#include "s3/blob_io.h"
#include "s3/names.h"
#include "s3/object_handlers.h"
#include "s3/object_lock_headers.h"
#include "s3/object_versions.h"
#include "s3/response.h"
#include "s3/version_id.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

Result<store::DeletePrecondition> DeletePreconditionOf(const S3Call& call) {
  auto invalid = [](std::string_view name, std::string_view value) {
    Error error = MakeError(ErrorCode::kInvalidArgument, "Invalid value for " + std::string(name));
    error.details = {{"ArgumentName", std::string(name)}, {"ArgumentValue", std::string(value)}};
    return error;
  };
  store::DeletePrecondition precondition;
  if (call.HasHeader("if-match")) precondition.if_match_etag = UnquoteEtag(call.Header("if-match"));
  if (call.HasHeader("x-amz-if-match-last-modified-time")) {
    auto value = call.Header("x-amz-if-match-last-modified-time");
    auto time = ParseHttpDate(value);
    if (!time) return invalid("x-amz-if-match-last-modified-time", value);
    precondition.if_match_last_modified = *time;
  }
  if (call.HasHeader("x-amz-if-match-size")) {
    auto value = call.Header("x-amz-if-match-size");
    uint64_t size = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), size);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
      return invalid("x-amz-if-match-size", value);
    }
    precondition.if_match_size = size;
  }
  return precondition;
}

}  // namespace

net::awaitable<Result<void>> DeleteObject(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  auto version_id = RequestedVersionId(call.request);
  if (!version_id) co_return version_id.error();
  auto precondition = DeletePreconditionOf(call);
  if (!precondition) co_return precondition.error();
  store::DeleteRequest request{.bucket = call.request.bucket,
                               .key = call.request.key,
                               .version_id = *version_id,
                               .marker_version_id = NewVersionId(env.random),
                               .lock = LockContextFor(env, call, call.request.key),
                               .precondition = std::move(*precondition)};
  auto deleted = co_await store::StoreWrite<store::DeleteOutcome>(
      [&](auto done) { env.metadata.DeleteObject(std::move(request), std::move(done)); });
  if (!deleted) co_return deleted.error();
  for (auto& blob : deleted->unreferenced) DeleteBlobLater(env, std::move(blob));

  auto head = NewHead(call, bhttp::status::no_content);
  if (deleted->delete_marker) head.fields.set("x-amz-delete-marker", "true");
  if (*version_id) {
    head.fields.set("x-amz-version-id", **version_id);  // echoed, found or not, as S3 does
  } else if (deleted->delete_marker) {
    SetWrittenVersionId(head, deleted->versioning, deleted->version_id);
  }
  co_return co_await RespondEmpty(call, std::move(head));
}

}  // namespace kura::s3
