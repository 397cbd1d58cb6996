// MetadataStore on PostgreSQL (issue #20): several stateless kura nodes, each with its own
// PostgresMetadataStore, share one database. The rows are the SQLite store's (pg_schema.cc).
// Writes run on a PgWriterPool: one transaction per write, its callback on the writer thread
// once COMMIT has returned (PostgreSQL's commit is the durable, group commit). Writes lock what
// they decide on, so that nodes writing the same keys at once stay correct (see
// postgres_writes.cc). Reads borrow a connection from a PgReadPool; a read of several statements
// runs in one REPEATABLE READ snapshot. Unlike the SQLite store there is no cache of latest
// records: another node may have changed any of them.
// A lost connection fails the call in progress with kServiceUnavailable (503 to S3 clients);
// the pools reconnect on their next use.
// Thread-safety: thread-safe (see metadata_store.h).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>

#include "store/metadata_store.h"
#include "store/key_usage_log.h"
#include "store/node_registry.h"
#include "store/postgres/pg_read_pool.h"
#include "store/postgres/pg_writer_pool.h"

namespace kura::store::postgres {

struct PostgresOptions {
  size_t writer_connections = 8;  // writer threads, one connection each
  size_t reader_connections = 8;  // at most this many reads at once; more wait
  int connect_timeout_seconds = 5;
  int statement_timeout_ms = 30000;  // a statement (lock waits included) running longer fails
  // Tests: runs on the writer thread before each COMMIT (e.g. to lose the connection there).
  std::function<void()> before_commit{};
  // Hold the schema's node lock (a session advisory lock) for the store's life, and fail to
  // open (kServiceUnavailable) while another store holds it. For a deployment that wants one
  // node per schema; `kura serve` no longer asks for it, since nodes follow each other's
  // configuration changes (node/config_follower.h, issue #20).
  bool single_node = false;
};

class PostgresMetadataStore final : public MetadataStore, public NodeRegistry, public KeyUsageLog {
 public:
  // Connects to `url` (a libpq URI, postgresql://…; the tables go to its search_path's first
  // schema) and creates or migrates the schema. kServiceUnavailable when the server cannot be
  // reached.
  static Result<std::unique_ptr<PostgresMetadataStore>> Open(const std::string& url,
                                                             PostgresOptions options = {});
  // Completes every queued write before returning.
  ~PostgresMetadataStore() override;

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
  PostgresMetadataStore(std::unique_ptr<PgConnection> node_lock, const PgSettings& settings,
                        const PostgresOptions& options,
                        std::string lock_space);

  // Runs `read` on a borrowed connection; once more on a fresh one when the connection turned
  // out to be lost (an idle connection the server closed), since reads can be repeated.
  template <typename T>
  Result<T> Read(const std::function<Result<T>(PgConnection&)>& read);
  Result<ObjectRecord> ReadVersion(std::string_view bucket, std::string_view key,
                                   std::optional<std::string_view> version_id, bool with_body);
  // Queues `apply` (run in its own transaction) and hands its value to `done` after COMMIT.
  template <typename T>
  void Submit(std::function<Result<T>(PgConnection&)> apply, Callback<T> done);

  std::unique_ptr<PgConnection> node_lock_;  // holds the node lock (single_node), else null
  PgReadPool readers_;
  // Tells this store's key locks apart from those of other stores in the same database.
  const std::string lock_space_;
  PgWriterPool writers_;  // last: destroyed first, finishing the queued writes
};

}  // namespace kura::store::postgres
