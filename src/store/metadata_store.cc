// The pre-versioning MetadataStore calls, expressed once through the versioned ones so that
// every implementation gives them the same meaning.
#include "store/metadata_store.h"

#include <memory>

namespace kura::store {
namespace {

// A latest version that is a delete marker is, for a caller that knows no versions, no key.
Result<ObjectRecord> HideDeleteMarker(Result<ObjectRecord> object) {
  if (object && object->is_delete_marker) return ErrorCode::kNoSuchKey;
  return object;
}

// The one blob a PutObject of a single object can unreference, if any.
std::optional<BlobRef> OnlyBlob(std::vector<BlobRef>& blobs) {
  if (blobs.empty()) return std::nullopt;
  return std::move(blobs.front());
}

}  // namespace

Result<ObjectRecord> MetadataStore::GetObject(std::string_view bucket, std::string_view key) {
  return HideDeleteMarker(GetObject(bucket, key, std::nullopt));
}

Result<ObjectRecord> MetadataStore::GetObjectMeta(std::string_view bucket, std::string_view key) {
  return HideDeleteMarker(GetObjectMeta(bucket, key, std::nullopt));
}

void MetadataStore::PutObject(ObjectRecord object, WritePrecondition precondition,
                              Callback<std::optional<BlobRef>> done) {
  LockContext lock{object.last_modified};
  PutObject(std::move(object), std::move(precondition), lock,
            [done = std::move(done)](Result<PutOutcome> outcome) {
              if (!outcome) return done(outcome.error());
              done(OnlyBlob(outcome->unreferenced));
            });
}

void MetadataStore::DeleteObject(std::string bucket, std::string key,
                                 Callback<std::optional<BlobRef>> done) {
  DeleteRequest request;
  request.bucket = std::move(bucket);
  request.key = std::move(key);
  DeleteObject(std::move(request), [done = std::move(done)](Result<DeleteOutcome> outcome) {
    if (!outcome) return done(outcome.error());
    done(OnlyBlob(outcome->unreferenced));
  });
}

void MetadataStore::UpdateObject(std::string bucket, std::string key,
                                 std::function<Result<void>(ObjectRecord&)> mutate,
                                 Callback<void> done) {
  UpdateObject(std::move(bucket), std::move(key), std::nullopt, LockContext{}, std::move(mutate),
               std::move(done));
}

void MetadataStore::CompleteUpload(CompletedUpload completed,
                                   Callback<std::vector<BlobRef>> done) {
  LockContext lock{completed.object.last_modified};
  CompleteUpload(std::move(completed), lock, [done = std::move(done)](Result<PutOutcome> outcome) {
    if (!outcome) return done(outcome.error());
    done(std::move(outcome->unreferenced));
  });
}

}  // namespace kura::store
