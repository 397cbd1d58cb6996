// The embedded MetadataStore: one SQLite database (WAL, synchronous=FULL) in the data dir.
// Writes go through a GroupCommitter (group_commit.h): callbacks run on its writer thread after
// the durable commit. Reads borrow a connection from a ReadPool (read_pool.h) and use cached
// prepared statements; a Checkpointer (checkpointer.h) keeps checkpoints off the commit
// path. Object rows hold metadata only; inline bodies sit in `inline_blobs` by integer id
// (object_rows.h), so key lookups and listings never read object bytes. Listing is a
// ListPageFromCursor over `SELECT … WHERE bucket=? AND key>=? ORDER BY key` on the (bucket, key)
// primary key: each seek is one B-tree descent.
// Thread-safety: thread-safe (see metadata_store.h).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>

#include "store/metadata_store.h"
#include "store/key_usage_log.h"
#include "store/node_registry.h"
#include "store/record_cache.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/group_commit.h"
#include "store/sqlite/read_pool.h"

namespace kura::store::sqlite {

struct SqliteOptions {
  // Called on the writer thread around each commit; tests use it to simulate a crash there.
  std::function<void(CommitPhase)> commit_hook;
  // Called on the writer thread when a batch failed for want of space: frees some (the
  // ballast) and answers whether it did, in which case the batch is retried once.
  std::function<bool()> release_space;
  // Told of each committed batch's duration and size (the metrics); see GroupCommitter.
  GroupCommitter::CommitObserver on_commit;
  // The latest records of recently read keys (record_cache.h); 0 turns it off.
  size_t record_cache_bytes = RecordCache::kDefaultCapacityBytes;
};

class SqliteMetadataStore final : public MetadataStore, public NodeRegistry, public KeyUsageLog {
 public:
  // Opens or creates `db_file` (mode 0600, as are its -wal and -shm) and migrates it to the
  // latest schema version.
  static Result<std::unique_ptr<SqliteMetadataStore>> Open(const std::filesystem::path& db_file,
                                                           SqliteOptions options = {});
  // Completes every queued write before returning.
  ~SqliteMetadataStore() override;

  Result<std::unordered_set<std::string>> ReferencedBlobIds() override;

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
  using MetadataStore::CompleteUpload;
  using MetadataStore::DeleteObject;
  using MetadataStore::PutObject;
  using MetadataStore::UpdateObject;
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

 private:
  SqliteMetadataStore(std::filesystem::path file, std::unique_ptr<Checkpointer> checkpointer,
                      std::unique_ptr<Db> writer, SqliteOptions options);

  // A version with its inline body (GetObject) or without (GetObjectMeta).
  Result<ObjectRecord> ReadVersion(std::string_view bucket, std::string_view key,
                                   std::optional<std::string_view> version_id, bool with_body);

  // Queues `apply` (run in the write transaction) and hands its value to `done` after commit.
  template <typename T>
  void Submit(std::function<Result<T>(Db&)> apply, Callback<T> done);

  ReadPool readers_;
  std::unique_ptr<Checkpointer> checkpointer_;  // outlives the committer (declared first)
  GroupCommitter committer_;
  RecordCache latest_;  // tagged by committer_'s write generation
};

}  // namespace kura::store::sqlite
