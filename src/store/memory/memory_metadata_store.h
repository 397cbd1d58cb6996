// An in-memory MetadataStore: the fake that the contract suite (tests/store/) holds to the same
// behaviour as the SQLite store. Writes apply under one mutex and run their callback on the
// caller's thread before returning; nothing is durable.
// Thread-safety: thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "store/key_usage_log.h"
#include "store/metadata_store.h"
#include "store/node_registry.h"
#include "store/versioning.h"

namespace kura::store {

class MemoryMetadataStore final : public MetadataStore, public NodeRegistry, public KeyUsageLog {
 public:
  Result<BucketRecord> GetBucket(std::string_view name) override;
  Result<std::vector<BucketRecord>> ListBuckets() override;
  using MetadataStore::GetObject;
  using MetadataStore::GetObjectMeta;
  Result<ObjectRecord> GetObject(std::string_view bucket, std::string_view key,
                                 std::optional<std::string_view> version_id) override;
  Result<ObjectRecord> GetObjectMeta(std::string_view bucket, std::string_view key,
                                     std::optional<std::string_view> version_id) override;
  Result<VersionListPage> ListObjectVersions(const VersionListQuery& query) override;
  Result<ListPage> ListObjects(const ListQuery& query) override;
  Result<std::optional<std::string>> GetDocument(std::string_view kind,
                                                 std::string_view id) override;
  Result<std::vector<std::pair<std::string, std::string>>> ListDocuments(
      std::string_view kind) override;
  Result<UploadRecord> GetUpload(std::string_view bucket, std::string_view key,
                                 std::string_view upload_id) override;
  Result<std::vector<PartRecord>> ListParts(std::string_view upload_id, int after_part,
                                            int limit) override;
  Result<std::vector<UploadRecord>> ListUploads(const UploadQuery& query) override;

  void CreateBucket(BucketRecord bucket, Callback<void> done) override;
  void DeleteBucket(std::string name, Callback<std::vector<BlobRef>> done) override;
  void UpdateBucket(std::string name, std::function<Result<void>(BucketRecord&)> mutate,
                    Callback<void> done) override;
  using MetadataStore::DeleteObject;
  using MetadataStore::PutObject;
  using MetadataStore::UpdateObject;
  using MetadataStore::CompleteUpload;
  void PutObject(ObjectRecord object, WritePrecondition precondition, LockContext lock,
                 Callback<PutOutcome> done) override;
  void DeleteObject(DeleteRequest request, Callback<DeleteOutcome> done) override;
  void UpdateObject(std::string bucket, std::string key, std::optional<std::string> version_id,
                    LockContext lock, std::function<Result<void>(ObjectRecord&)> mutate,
                    Callback<void> done) override;
  void PutDocuments(std::vector<DocumentWrite> writes, Callback<void> done) override;
  void PutDocumentIf(DocumentWrite write, std::optional<std::string> expected,
                     Callback<bool> done) override;
  Result<uint64_t> ConfigGeneration() override;
  Result<void> ConfirmFollowing(std::string_view node_id, uint64_t generation) override;
  Result<std::vector<std::string>> NodesBehind(uint64_t generation,
                                               std::chrono::milliseconds liveness) override;
  Result<void> LeaveFollowing(std::string_view node_id) override;
  Result<void> RecordKeyUses(const std::vector<KeyUse>& uses) override;
  Result<std::optional<KeyUse>> LastKeyUse(std::string_view access_key_id) override;
  void PutDocumentsIf(std::vector<DocumentWrite> writes, uint64_t expected_generation,
                      Callback<uint64_t> done) override;
  void CreateUpload(UploadRecord upload, Callback<void> done) override;
  void PutPart(std::string upload_id, PartRecord part,
               Callback<std::optional<BlobRef>> done) override;
  void CompleteUpload(CompletedUpload completed, LockContext lock,
                      Callback<PutOutcome> done) override;
  void AbortUpload(std::string bucket, std::string key, std::string upload_id,
                   Callback<std::vector<BlobRef>> done) override;
  Result<std::unordered_set<std::string>> ReferencedBlobIds() override;

 private:
  // As the SQLite store: current versions by key, noncurrent ones by key and sequence.
  struct Bucket {
    BucketRecord record;
    std::map<std::string, StoredVersion> objects;
    std::map<std::string, std::map<int64_t, StoredVersion, std::greater<>>> noncurrent;
  };
  class Rows;
  struct Upload {
    UploadRecord record;
    std::map<int, PartRecord> parts;
  };
  // The upload of bucket/key with that id, or null.
  Upload* FindUploadLocked(std::string_view bucket, std::string_view key, std::string_view id);
  // Removes it and returns its parts' blobs.
  std::vector<BlobRef> DropUploadLocked(const std::string& upload_id);
  void ApplyDocumentsLocked(std::vector<DocumentWrite> writes);
  Result<PutOutcome> CompleteUploadLocked(const CompletedUpload& completed,
                                          const LockContext& lock);
  Result<ObjectRecord> ReadVersion(std::string_view bucket, std::string_view key,
                                   std::optional<std::string_view> version_id);

  std::mutex mu_;
  int64_t sequence_ = 0;                                                  // guarded by mu_
  uint64_t generation_ = 0;                                               // guarded by mu_
  struct Follower {
    uint64_t generation = 0;
    std::chrono::steady_clock::time_point heartbeat;  // the "store's clock" of this fake
  };
  std::map<std::string, Follower, std::less<>> followers_;                 // guarded by mu_
  std::map<std::string, KeyUse, std::less<>> key_uses_;                   // guarded by mu_
  std::map<std::string, Bucket, std::less<>> buckets_;                    // guarded by mu_
  std::map<std::pair<std::string, std::string>, std::string> documents_;  // guarded by mu_
  std::map<std::string, Upload, std::less<>> uploads_;                    // guarded by mu_
};

}  // namespace kura::store
