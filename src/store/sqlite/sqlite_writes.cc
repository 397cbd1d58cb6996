// The group-committed writes of SqliteMetadataStore. Each *Tx function runs on the writer
// thread inside the batch transaction (and its own savepoint): it may read what earlier requests
// of the same batch wrote, and its error rolls back only its own changes.
#include <memory>

#include "store/sqlite/multipart_rows.h"
#include "store/sqlite/object_rows.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sql_queries.h"
#include "store/sqlite/sqlite_metadata_store.h"
#include "store/wait.h"

namespace kura::store::sqlite {
namespace {

// The whole bucket record (SqlVersionRows::FindBucket reads only what the write rules need).
Result<std::optional<BucketRecord>> FindBucket(Db& db, std::string_view name) {
  auto stmt = db.Prepare(sql::kGetBucket);
  if (!stmt) return stmt.error();
  (*stmt)->BindView(1, name);  // the lease ends before the view does
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<BucketRecord>();
  auto bucket = ReadBucketRow(**stmt);
  if (!bucket) return bucket.error();
  return std::optional<BucketRecord>(std::move(bucket).value());
}

Result<bool> BucketExists(Db& db, std::string_view name) {
  auto stmt = db.Prepare(sql::kBucketExists);
  if (!stmt) return stmt.error();
  (*stmt)->BindView(1, name);  // the lease ends before the view does
  return (*stmt)->Step();
}

Result<void> WriteBucket(Db& db, const char* query, const BucketRecord& bucket) {
  auto stmt = db.Prepare(query);
  if (!stmt) return stmt.error();
  BindBucketRow(**stmt, bucket);
  return (*stmt)->Run();
}

Result<void> RunWith2(Db& db, const char* query, std::string_view a, std::string_view b) {
  auto stmt = db.Prepare(query);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, a).Bind(2, b);
  return (*stmt)->Run();
}

// Moves the configuration generation in the write's transaction; returns the new value.
Result<uint64_t> BumpConfigGeneration(Db& db) {
  auto stmt = db.Prepare(sql::kBumpConfigGeneration);
  if (!stmt) return stmt.error();
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return MakeError(ErrorCode::kInternalError, "no configuration generation row");
  return static_cast<uint64_t>((*stmt)->Int(0));
}

Result<void> CreateBucketTx(Db& db, const BucketRecord& bucket) {
  auto existing = FindBucket(db, bucket.name);
  if (!existing) return existing.error();
  if (*existing) {
    return (*existing)->owner_id == bucket.owner_id ? ErrorCode::kBucketAlreadyOwnedByYou
                                                    : ErrorCode::kBucketAlreadyExists;
  }
  KURA_TRY(CheckBucketChange(BucketRecord{}, bucket));
  KURA_TRY(WriteBucket(db, sql::kInsertBucket, bucket));
  KURA_TRY(BumpConfigGeneration(db));
  return Ok();
}

Result<std::vector<BlobRef>> DeleteBucketTx(Db& db, const std::string& name) {
  auto exists = BucketExists(db, name);
  if (!exists) return exists.error();
  if (!*exists) return ErrorCode::kNoSuchBucket;
  for (const char* query : {sql::kAnyObject, sql::kAnyVersion}) {
    auto any = db.Prepare(query);
    if (!any) return any.error();
    (*any)->Bind(1, name);
    auto row = (*any)->Step();
    if (!row) return row.error();
    if (*row) return ErrorCode::kBucketNotEmpty;
  }
  auto dropped = DropBucketUploadsTx(db, name);
  if (!dropped) return dropped.error();
  auto stmt = db.Prepare(sql::kDeleteBucket);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, name);
  KURA_TRY((*stmt)->Run());
  KURA_TRY(BumpConfigGeneration(db));
  return dropped;
}

Result<void> UpdateBucketTx(Db& db, const std::string& name,
                            const std::function<Result<void>(BucketRecord&)>& mutate) {
  auto existing = FindBucket(db, name);
  if (!existing) return existing.error();
  if (!*existing) return ErrorCode::kNoSuchBucket;
  BucketRecord bucket = **existing;
  KURA_TRY(mutate(bucket));
  bucket.name = name;
  KURA_TRY(CheckBucketChange(**existing, bucket));
  KURA_TRY(WriteBucket(db, sql::kReplaceBucket, bucket));
  KURA_TRY(BumpConfigGeneration(db));
  return Ok();
}

Result<PutOutcome> CompleteUploadTx(Db& db, const CompletedUpload& completed,
                                    const LockContext& lock) {
  auto upload = FindUpload(db, completed.upload_id);
  if (!upload) return upload.error();
  const ObjectRecord& object = completed.object;
  if (!*upload || (*upload)->object.bucket != object.bucket || (*upload)->object.key != object.key) {
    return ErrorCode::kNoSuchUpload;
  }
  auto unused = TakeUnusedPartsTx(db, completed);
  if (!unused) return unused.error();
  SqlVersionRows rows(db);
  auto outcome = PutVersion(rows, object, completed.precondition, lock);
  if (!outcome) return outcome.error();
  KURA_TRY(DropUploadTx(db, completed.upload_id));
  for (auto& blob : outcome->unreferenced) unused->push_back(std::move(blob));
  outcome->unreferenced = std::move(unused).value();
  return outcome;
}

Result<std::vector<BlobRef>> AbortUploadTx(Db& db, const std::string& bucket, const std::string& key,
                                           const std::string& upload_id) {
  auto upload = FindUpload(db, upload_id);
  if (!upload) return upload.error();
  if (!*upload || (*upload)->object.bucket != bucket || (*upload)->object.key != key) {
    return ErrorCode::kNoSuchUpload;
  }
  return DropUploadTx(db, upload_id);
}

Result<void> WriteDocumentsTx(Db& db, const std::vector<DocumentWrite>& writes) {
  for (const auto& write : writes) {
    if (!write.value) {
      KURA_TRY(RunWith2(db, sql::kDeleteDocument, write.kind, write.id));
      continue;
    }
    auto stmt = db.Prepare(sql::kPutDocument);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, write.kind).Bind(2, write.id).BindBlob(3, *write.value);
    KURA_TRY((*stmt)->Run());
  }
  return Ok();
}

Result<uint64_t> PutDocumentsTx(Db& db, const std::vector<DocumentWrite>& writes) {
  KURA_TRY(WriteDocumentsTx(db, writes));
  return BumpConfigGeneration(db);
}

// Atomic for the same reason as PutDocumentIfTx below.
Result<uint64_t> PutDocumentsIfTx(Db& db, const std::vector<DocumentWrite>& writes,
                                  uint64_t expected_generation) {
  auto stmt = db.Prepare(sql::kConfigGeneration);
  if (!stmt) return stmt.error();
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row || static_cast<uint64_t>((*stmt)->Int(0)) != expected_generation) {
    return MakeError(ErrorCode::kConcurrentModification, "the configuration generation moved");
  }
  return PutDocumentsTx(db, writes);
}

// The document's value as the batch sees it (earlier requests of the batch included).
Result<std::optional<std::string>> ReadDocumentTx(Db& db, const std::string& kind,
                                                  const std::string& id) {
  auto stmt = db.Prepare(sql::kGetDocument);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, kind).Bind(2, id);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(std::string((*stmt)->Blob(0)));
}

// Atomic because the writer thread is the only writer of the database (the data dir's LOCK
// keeps other processes out): nothing can change the row between the read and the write.
Result<bool> PutDocumentIfTx(Db& db, const DocumentWrite& write,
                             const std::optional<std::string>& expected) {
  auto current = ReadDocumentTx(db, write.kind, write.id);
  if (!current) return current.error();
  if (*current != expected) return false;
  KURA_TRY(PutDocumentsTx(db, {write}));
  return true;
}

}  // namespace

template <typename T>
void SqliteMetadataStore::Submit(std::function<Result<T>(Db&)> apply, Callback<T> done) {
  if constexpr (std::is_void_v<T>) {
    committer_.Submit(std::move(apply), std::move(done));
  } else {
    // The value computed in the transaction waits here until the commit has succeeded.
    auto value = std::make_shared<std::optional<T>>();
    committer_.Submit(
        [apply = std::move(apply), value](Db& db) -> Result<void> {
          Result<T> result = apply(db);
          if (!result) return result.error();
          value->emplace(std::move(result).value());
          return Ok();
        },
        [done = std::move(done), value](Result<void> status) {
          if (!status) return done(status.error());
          done(std::move(**value));
        });
  }
}

void SqliteMetadataStore::CreateBucket(BucketRecord bucket, Callback<void> done) {
  Submit<void>([bucket = std::move(bucket)](Db& db) { return CreateBucketTx(db, bucket); },
               std::move(done));
}

void SqliteMetadataStore::DeleteBucket(std::string name, Callback<std::vector<BlobRef>> done) {
  Submit<std::vector<BlobRef>>([name = std::move(name)](Db& db) { return DeleteBucketTx(db, name); },
               std::move(done));
}

void SqliteMetadataStore::UpdateBucket(std::string name,
                                       std::function<Result<void>(BucketRecord&)> mutate,
                                       Callback<void> done) {
  Submit<void>([name = std::move(name),
                mutate = std::move(mutate)](Db& db) { return UpdateBucketTx(db, name, mutate); },
               std::move(done));
}

void SqliteMetadataStore::PutObject(ObjectRecord object, WritePrecondition precondition,
                                    LockContext lock, Callback<PutOutcome> done) {
  Submit<PutOutcome>(
      [object = std::move(object), precondition = std::move(precondition), lock](Db& db) {
        SqlVersionRows rows(db);
        return PutVersion(rows, object, precondition, lock);
      },
      std::move(done));
}

void SqliteMetadataStore::DeleteObject(DeleteRequest request, Callback<DeleteOutcome> done) {
  Submit<DeleteOutcome>(
      [request = std::move(request)](Db& db) {
        SqlVersionRows rows(db);
        return DeleteVersion(rows, request);
      },
      std::move(done));
}

void SqliteMetadataStore::UpdateObject(std::string bucket, std::string key,
                                       std::optional<std::string> version_id, LockContext lock,
                                       std::function<Result<void>(ObjectRecord&)> mutate,
                                       Callback<void> done) {
  Submit<void>(
      [bucket = std::move(bucket), key = std::move(key), version_id = std::move(version_id), lock,
       mutate = std::move(mutate)](Db& db) {
        SqlVersionRows rows(db);
        return UpdateVersion(rows, bucket, key, version_id, lock, mutate);
      },
      std::move(done));
}

void SqliteMetadataStore::PutDocuments(std::vector<DocumentWrite> writes, Callback<void> done) {
  Submit<void>(
      [writes = std::move(writes)](Db& db) -> Result<void> {
        KURA_TRY(PutDocumentsTx(db, writes));
        return Ok();
      },
      std::move(done));
}

void SqliteMetadataStore::PutDocumentsIf(std::vector<DocumentWrite> writes,
                                         uint64_t expected_generation, Callback<uint64_t> done) {
  Submit<uint64_t>([writes = std::move(writes), expected_generation](Db& db) {
    return PutDocumentsIfTx(db, writes, expected_generation);
  }, std::move(done));
}

// The registry's writes go through the writer like every write (SQLite has one writer).
Result<void> SqliteMetadataStore::ConfirmFollowing(std::string_view node_id, uint64_t generation) {
  return WaitFor<void>([&](Callback<void> done) {
    Submit<void>([id = std::string(node_id), generation](Db& db) -> Result<void> {
      auto stmt = db.Prepare(sql::kConfirmFollowing);
      if (!stmt) return stmt.error();
      (*stmt)->Bind(1, id).Bind(2, static_cast<int64_t>(generation));
      return (*stmt)->Run();
    }, std::move(done));
  });
}

Result<void> SqliteMetadataStore::LeaveFollowing(std::string_view node_id) {
  return WaitFor<void>([&](Callback<void> done) {
    Submit<void>([id = std::string(node_id)](Db& db) -> Result<void> {
      auto stmt = db.Prepare(sql::kLeaveFollowing);
      if (!stmt) return stmt.error();
      (*stmt)->Bind(1, id);
      return (*stmt)->Run();
    }, std::move(done));
  });
}

// One transaction of the writer for the whole batch.
Result<void> SqliteMetadataStore::RecordKeyUses(const std::vector<KeyUse>& uses) {
  return WaitFor<void>([&](Callback<void> done) {
    Submit<void>([latest = LatestPerKey(uses)](Db& db) -> Result<void> {
      auto stmt = db.Prepare(sql::kRecordKeyUse);
      if (!stmt) return stmt.error();
      for (const KeyUse& use : latest) {
        (*stmt)->Reset();
        (*stmt)->Bind(1, use.access_key_id).Bind(2, use.used_at_ms).Bind(3, use.service);
        (*stmt)->Bind(4, use.region);
        KURA_TRY((*stmt)->Run());
      }
      return Ok();
    }, std::move(done));
  });
}

void SqliteMetadataStore::PutDocumentIf(DocumentWrite write, std::optional<std::string> expected,
                                        Callback<bool> done) {
  Submit<bool>([write = std::move(write), expected = std::move(expected)](Db& db) {
    return PutDocumentIfTx(db, write, expected);
  }, std::move(done));
}

void SqliteMetadataStore::CreateUpload(UploadRecord upload, Callback<void> done) {
  Submit<void>([upload = std::move(upload)](Db& db) { return CreateUploadTx(db, upload); },
               std::move(done));
}

void SqliteMetadataStore::PutPart(std::string upload_id, PartRecord part,
                                  Callback<std::optional<BlobRef>> done) {
  Submit<std::optional<BlobRef>>(
      [upload_id = std::move(upload_id), part = std::move(part)](Db& db) {
        return PutPartTx(db, upload_id, part);
      },
      std::move(done));
}

void SqliteMetadataStore::CompleteUpload(CompletedUpload completed, LockContext lock,
                                         Callback<PutOutcome> done) {
  Submit<PutOutcome>([completed = std::move(completed),
                      lock](Db& db) { return CompleteUploadTx(db, completed, lock); },
                     std::move(done));
}

void SqliteMetadataStore::AbortUpload(std::string bucket, std::string key, std::string upload_id,
                                      Callback<std::vector<BlobRef>> done) {
  Submit<std::vector<BlobRef>>(
      [bucket = std::move(bucket), key = std::move(key), upload_id = std::move(upload_id)](Db& db) {
        return AbortUploadTx(db, bucket, key, upload_id);
      },
      std::move(done));
}

}  // namespace kura::store::sqlite
