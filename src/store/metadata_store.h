// Metadata: buckets, objects and generic documents (IAM state, STS key ring…).
//
// Reads are blocking and thread-safe; they see every write whose callback has run.
// Writes are asynchronous and group-committed: each call queues a request; one writer applies
// all queued requests in one transaction (each in its own savepoint, so one failing request —
// e.g. a failed precondition — does not affect the others), commits durably, and only then runs
// the callbacks. Callbacks run on the store's writer thread (the in-memory fake runs them on the
// caller's thread, possibly before the call returns): keep them short and re-post real work to
// your own executor. A callback must not block on another write of the same store.
//
// Blob ownership: records carry BlobRefs. PutObject and DeleteObject hand back the blob they
// unreferenced; the caller deletes it (BlobStore::Delete) after the callback, i.e. only once the
// new metadata is durable. A crash in between leaves an orphan that the next Open sweeps.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/error.h"
#include "store/records.h"

namespace kura::store {

template <typename T>
using Callback = std::function<void(Result<T>)>;

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // --- reads (blocking) ---
  virtual Result<BucketRecord> GetBucket(std::string_view name) = 0;  // kNoSuchBucket
  virtual Result<std::vector<BucketRecord>> ListBuckets() = 0;        // by name
  // The full record, inline bytes included, so one query serves a small GET.
  // kNoSuchBucket, kNoSuchKey.
  virtual Result<ObjectRecord> GetObject(std::string_view bucket, std::string_view key) = 0;
  // The same without the inline bytes (blob.inline_data empty): for HEAD and other readers of
  // metadata only, which then never load object bytes. kNoSuchBucket, kNoSuchKey.
  virtual Result<ObjectRecord> GetObjectMeta(std::string_view bucket, std::string_view key) {
    auto object = GetObject(bucket, key);
    if (object) object->blob.inline_data.clear();
    return object;
  }
  // One page in UTF-8 byte order; see ListQuery. kNoSuchBucket.
  virtual Result<ListPage> ListObjects(const ListQuery& query) = 0;
  virtual Result<std::optional<std::string>> GetDocument(std::string_view kind,
                                                         std::string_view id) = 0;
  // All documents of a kind as (id, value), by id.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListDocuments(
      std::string_view kind) = 0;

  // --- multipart uploads (reads) ---
  // kNoSuchUpload unless upload_id is in progress for exactly bucket/key.
  virtual Result<UploadRecord> GetUpload(std::string_view bucket, std::string_view key,
                                         std::string_view upload_id) = 0;
  // Parts with part_number > after_part, ascending, at most `limit`. kNoSuchUpload.
  virtual Result<std::vector<PartRecord>> ListParts(std::string_view upload_id, int after_part,
                                                    int limit) = 0;
  // See UploadQuery. kNoSuchBucket.
  virtual Result<std::vector<UploadRecord>> ListUploads(const UploadQuery& query) = 0;

  // --- writes (group-committed; the callback runs after the durable commit) ---
  // kBucketAlreadyOwnedByYou when a bucket of that name has the same owner_id, else
  // kBucketAlreadyExists.
  virtual void CreateBucket(BucketRecord bucket, Callback<void> done) = 0;
  // kNoSuchBucket, kBucketNotEmpty (objects only). Uploads in progress are aborted with the
  // bucket; their parts' blobs are returned for the caller to delete.
  virtual void DeleteBucket(std::string name, Callback<std::vector<BlobRef>> done) = 0;
  // Runs `mutate` on the current record inside the transaction (policy, tags, CORS); an error
  // from it is returned and changes nothing. The name cannot change. kNoSuchBucket.
  virtual void UpdateBucket(std::string name, std::function<Result<void>(BucketRecord&)> mutate,
                            Callback<void> done) = 0;
  // Creates or replaces bucket/key whole. Returns the replaced object's blob, if any.
  // kNoSuchBucket, kPreconditionFailed, kNoSuchKey (If-Match on a missing key).
  virtual void PutObject(ObjectRecord object, WritePrecondition precondition,
                         Callback<std::optional<BlobRef>> done) = 0;
  // Returns the removed blob, or nullopt when there was no such key (not an error, as in S3).
  // kNoSuchBucket.
  virtual void DeleteObject(std::string bucket, std::string key,
                            Callback<std::optional<BlobRef>> done) = 0;
  // Runs `mutate` on the current record (tags, metadata); bucket, key and blob cannot change
  // (the record handed to `mutate` may lack its inline bytes).
  // kNoSuchBucket, kNoSuchKey.
  virtual void UpdateObject(std::string bucket, std::string key,
                            std::function<Result<void>(ObjectRecord&)> mutate,
                            Callback<void> done) = 0;
  // Multipart. CreateUpload: kNoSuchBucket. PutPart: adds or replaces a part and returns the
  // replaced part's blob; kNoSuchUpload (e.g. aborted meanwhile: the caller deletes its blob).
  virtual void CreateUpload(UploadRecord upload, Callback<void> done) = 0;
  virtual void PutPart(std::string upload_id, PartRecord part,
                       Callback<std::optional<BlobRef>> done) = 0;
  // Writes the object, ends the upload, and returns the blobs no longer referenced (the replaced
  // object's, and every part not used). kNoSuchUpload, kInvalidPart (a part missing or replaced
  // since it was read), kPreconditionFailed, kNoSuchKey (If-Match on a missing key).
  virtual void CompleteUpload(CompletedUpload completed,
                              Callback<std::vector<BlobRef>> done) = 0;
  // Ends the upload and returns its parts' blobs. kNoSuchUpload.
  virtual void AbortUpload(std::string bucket, std::string key, std::string upload_id,
                           Callback<std::vector<BlobRef>> done) = 0;

  // Applies all writes atomically (value nullopt = delete).
  virtual void PutDocuments(std::vector<DocumentWrite> writes, Callback<void> done) = 0;

  // Every file blob id that an object or an upload's part references, read in one snapshot
  // (for the orphan sweep: a failed read must fail the sweep, never yield a partial set).
  virtual Result<std::unordered_set<std::string>> ReferencedBlobIds() = 0;
};

}  // namespace kura::store
