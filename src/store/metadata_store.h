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
  // The latest version, inline bytes included, so one query serves a small GET. A latest
  // version that is a delete marker reads as kNoSuchKey. kNoSuchBucket, kNoSuchKey.
  virtual Result<ObjectRecord> GetObject(std::string_view bucket, std::string_view key);
  // The same without the inline bytes (blob.inline_data empty): for HEAD and other readers of
  // metadata only, which then never load object bytes. kNoSuchBucket, kNoSuchKey.
  virtual Result<ObjectRecord> GetObjectMeta(std::string_view bucket, std::string_view key);
  // A version by id (nullopt: the latest), delete markers included (is_delete_marker; the
  // caller answers 404 or 405 as S3 does), is_latest set. kNoSuchBucket, kNoSuchKey (no
  // version_id and no key), kNoSuchVersion.
  virtual Result<ObjectRecord> GetObject(std::string_view bucket, std::string_view key,
                                         std::optional<std::string_view> version_id) = 0;
  virtual Result<ObjectRecord> GetObjectMeta(std::string_view bucket, std::string_view key,
                                             std::optional<std::string_view> version_id) = 0;
  // One page of ListObjectVersions; see VersionListQuery. kNoSuchBucket, kInvalidArgument.
  virtual Result<VersionListPage> ListObjectVersions(const VersionListQuery& query) = 0;
  // One page in UTF-8 byte order of latest versions that are not delete markers; see ListQuery.
  // kNoSuchBucket.
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
  // kNoSuchBucket, kBucketNotEmpty (any version or delete marker left). Uploads in progress are
  // aborted with the bucket; their parts' blobs are returned for the caller to delete.
  virtual void DeleteBucket(std::string name, Callback<std::vector<BlobRef>> done) = 0;
  // Runs `mutate` on the current record inside the transaction (policy, tags, CORS, versioning,
  // Object Lock); an error from it is returned and changes nothing. The name cannot change.
  // kNoSuchBucket; kInvalidBucketState for versioning back to unversioned, Object Lock turned
  // off, Object Lock without versioning Enabled, or versioning suspended under Object Lock.
  virtual void UpdateBucket(std::string name, std::function<Result<void>(BucketRecord&)> mutate,
                            Callback<void> done) = 0;

  // Writes a new version of bucket/key, decided in the transaction by the bucket's versioning:
  // Enabled: object.version_id (required, not "null") becomes the latest, the previous latest
  // stays as a noncurrent version; otherwise the version is "null" and replaces the existing
  // "null" version (current or not), whose blob is returned. The bucket's default retention
  // applies when the object sets none (from object.last_modified). Overwriting a locked "null"
  // version fails with kAccessDenied. kNoSuchBucket, kPreconditionFailed, kNoSuchKey (If-Match
  // on a missing key; a delete marker counts as missing), kInvalidArgument (no version id on an
  // Enabled bucket), kInvalidRequest (lock fields on a bucket without Object Lock).
  virtual void PutObject(ObjectRecord object, WritePrecondition precondition, LockContext lock,
                         Callback<PutOutcome> done) = 0;
  // PutObject with lock.now = object.last_modified. Returns the replaced blob, if any.
  virtual void PutObject(ObjectRecord object, WritePrecondition precondition,
                         Callback<std::optional<BlobRef>> done);
  // See DeleteRequest. Without a version id: Enabled inserts a delete marker (even when the key
  // has no version); Suspended replaces the "null" version by a "null" delete marker;
  // unversioned removes the object. With one: removes that version (the next newest becomes the
  // latest). A locked version (legal hold, COMPLIANCE in force, GOVERNANCE in force without
  // bypass) fails with kAccessDenied. A missing key or version is not an error (empty
  // version_id in the outcome). kNoSuchBucket, kInvalidArgument (no marker id when Enabled).
  virtual void DeleteObject(DeleteRequest request, Callback<DeleteOutcome> done) = 0;
  // DeleteObject of the key, without version id, with lock.now the epoch (so every retention
  // counts as in force). Returns the removed blob, or nullopt when there was no such key.
  virtual void DeleteObject(std::string bucket, std::string key,
                            Callback<std::optional<BlobRef>> done);
  // Runs `mutate` on a version (nullopt: the latest): tags, metadata, retention, legal hold;
  // bucket, key, version id and blob cannot change (the record handed to `mutate` may lack its
  // inline bytes). Retention in force can be extended; shortened, removed or turned from
  // COMPLIANCE into GOVERNANCE only for GOVERNANCE with lock.bypass_governance, else
  // kAccessDenied. kNoSuchBucket, kNoSuchKey, kNoSuchVersion, kMethodNotAllowed (a delete
  // marker by version id), kInvalidRequest (lock fields on a bucket without Object Lock).
  virtual void UpdateObject(std::string bucket, std::string key,
                            std::optional<std::string> version_id, LockContext lock,
                            std::function<Result<void>(ObjectRecord&)> mutate,
                            Callback<void> done) = 0;
  // UpdateObject of the latest version with lock.now the epoch.
  virtual void UpdateObject(std::string bucket, std::string key,
                            std::function<Result<void>(ObjectRecord&)> mutate,
                            Callback<void> done);
  // Multipart. CreateUpload: kNoSuchBucket. PutPart: adds or replaces a part and returns the
  // replaced part's blob; kNoSuchUpload (e.g. aborted meanwhile: the caller deletes its blob).
  virtual void CreateUpload(UploadRecord upload, Callback<void> done) = 0;
  virtual void PutPart(std::string upload_id, PartRecord part,
                       Callback<std::optional<BlobRef>> done) = 0;
  // Writes the object as PutObject does, ends the upload, and returns the blobs no longer
  // referenced (the replaced version's, and every part not used). kNoSuchUpload, kInvalidPart
  // (a part missing or replaced since it was read), and PutObject's errors.
  virtual void CompleteUpload(CompletedUpload completed, LockContext lock,
                              Callback<PutOutcome> done) = 0;
  // CompleteUpload with lock.now = completed.object.last_modified.
  virtual void CompleteUpload(CompletedUpload completed, Callback<std::vector<BlobRef>> done);
  // Ends the upload and returns its parts' blobs. kNoSuchUpload.
  virtual void AbortUpload(std::string bucket, std::string key, std::string upload_id,
                           Callback<std::vector<BlobRef>> done) = 0;

  // Applies all writes atomically (value nullopt = delete).
  virtual void PutDocuments(std::vector<DocumentWrite> writes, Callback<void> done) = 0;
  // Compare-and-set of one document: applies `write` only if the document's value is exactly
  // `expected` at that moment (nullopt: only if there is no such document), atomically with
  // every other write to the store — from this process or, for a store shared by several nodes,
  // from any node. The callback gets true when it wrote, false when the value differed (then
  // nothing changed; not an error). Gives shared node state a create-if-absent (the first writer
  // wins, the others re-read and adopt its value) and lost-update-free read-modify-writes.
  virtual void PutDocumentIf(DocumentWrite write, std::optional<std::string> expected,
                             Callback<bool> done) = 0;

  // --- configuration generation: how nodes sharing a store follow each other's changes ---
  // A number that grows with every committed write of documents (PutDocuments, PutDocumentsIf,
  // PutDocumentIf when it wrote) and of bucket configuration (CreateBucket, DeleteBucket,
  // UpdateBucket) — by any process sharing the store — moved in that write's own transaction, so
  // it never moves before the write is visible. Object and upload writes leave it. A cache loaded
  // at generation g that reads g again has missed no change; one that reads more reloads.
  virtual Result<uint64_t> ConfigGeneration() = 0;
  // PutDocuments on the condition that the configuration generation is still
  // `expected_generation` when the batch applies: the lost-update guard of a read-modify-write
  // over many documents (IAM state) by nodes that each hold a copy. The callback gets the
  // generation the write moved it to. kConcurrentModification, nothing written, when it differed.
  virtual void PutDocumentsIf(std::vector<DocumentWrite> writes, uint64_t expected_generation,
                              Callback<uint64_t> done) = 0;

  // Every file blob id that a version (current or not) or an upload's part references, read in one snapshot
  // (for the orphan sweep: a failed read must fail the sweep, never yield a partial set).
  virtual Result<std::unordered_set<std::string>> ReferencedBlobIds() = 0;
};

}  // namespace kura::store
