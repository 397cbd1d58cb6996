// An in-memory MetadataStore: the fake that the contract suite (tests/store/) holds to the same
// behaviour as the SQLite store. Writes apply under one mutex and run their callback on the
// caller's thread before returning; nothing is durable.
// Thread-safety: thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "store/metadata_store.h"

namespace kura::store {

class MemoryMetadataStore final : public MetadataStore {
 public:
  Result<BucketRecord> GetBucket(std::string_view name) override;
  Result<std::vector<BucketRecord>> ListBuckets() override;
  Result<ObjectRecord> GetObject(std::string_view bucket, std::string_view key) override;
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
  void PutObject(ObjectRecord object, WritePrecondition precondition,
                 Callback<std::optional<BlobRef>> done) override;
  void DeleteObject(std::string bucket, std::string key,
                    Callback<std::optional<BlobRef>> done) override;
  void UpdateObject(std::string bucket, std::string key,
                    std::function<Result<void>(ObjectRecord&)> mutate,
                    Callback<void> done) override;
  void PutDocuments(std::vector<DocumentWrite> writes, Callback<void> done) override;
  void CreateUpload(UploadRecord upload, Callback<void> done) override;
  void PutPart(std::string upload_id, PartRecord part,
               Callback<std::optional<BlobRef>> done) override;
  void CompleteUpload(CompletedUpload completed, Callback<std::vector<BlobRef>> done) override;
  void AbortUpload(std::string bucket, std::string key, std::string upload_id,
                   Callback<std::vector<BlobRef>> done) override;
  Result<std::unordered_set<std::string>> ReferencedBlobIds() override;

 private:
  struct Bucket {
    BucketRecord record;
    std::map<std::string, ObjectRecord> objects;
  };
  struct Upload {
    UploadRecord record;
    std::map<int, PartRecord> parts;
  };
  // The upload of bucket/key with that id, or null.
  Upload* FindUploadLocked(std::string_view bucket, std::string_view key, std::string_view id);
  // Removes it and returns its parts' blobs.
  std::vector<BlobRef> DropUploadLocked(const std::string& upload_id);
  Result<std::vector<BlobRef>> CompleteUploadLocked(const CompletedUpload& completed);
  Result<std::optional<BlobRef>> PutObjectLocked(ObjectRecord object,
                                                 const WritePrecondition& precondition);

  std::mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_;                    // guarded by mu_
  std::map<std::pair<std::string, std::string>, std::string> documents_;  // guarded by mu_
  std::map<std::string, Upload, std::less<>> uploads_;                    // guarded by mu_
};

}  // namespace kura::store
