#include "s3/blob_io.h"
#include "s3/names.h"
#include "s3/object_handlers.h"
#include "s3/object_lock_headers.h"
#include "s3/response.h"
#include "s3/version_id.h"
#include "store/awaitable.h"

namespace kura::s3 {

net::awaitable<Result<void>> DeleteObject(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  store::DeleteRequest request;
  request.bucket = call.request.bucket;
  request.key = call.request.key;
  if (call.request.HasQuery("versionId")) request.version_id = call.request.Query("versionId");
  request.marker_version_id = NewVersionId(env.random);
  // The store refuses a locked version (AccessDenied); a delete marker is always allowed.
  request.lock = LockContextFor(env, call, call.request.key);
  auto deleted = co_await store::StoreWrite<store::DeleteOutcome>(
      [&](auto done) { env.metadata.DeleteObject(std::move(request), std::move(done)); });
  if (!deleted) co_return deleted.error();
  for (auto& blob : deleted->unreferenced) DeleteBlobLater(env, std::move(blob));
  auto head = NewHead(call, bhttp::status::no_content);
  if (deleted->versioning != store::VersioningState::kUnversioned && !deleted->version_id.empty()) {
    head.fields.set("x-amz-version-id", deleted->version_id);
  }
  if (deleted->delete_marker) head.fields.set("x-amz-delete-marker", "true");
  co_return co_await RespondEmpty(call, std::move(head));
}

}  // namespace kura::s3
