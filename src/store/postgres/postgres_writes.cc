// The writes of PostgresMetadataStore. Each *Tx function runs inside its own transaction on a
// writer connection (pg_writer_pool.h), at READ COMMITTED: every statement sees what committed
// before it started, so a statement run after taking a lock sees everything the lock's previous
// holder wrote.
//
// Nodes writing the same keys at once. A write decides from what it reads (the current version,
// the bucket's versioning) and must not race another node's write of the same key: two PUTs
// would each demote the same current version, two DELETEs each add a marker on top of the same
// one. Chosen: explicit locks, taken before the reads they protect —
//   1. the key's advisory lock (pg_key_lock.h) for every write of an object version: writes of
//      one key run one after the other, in every node; nextval('version_seq') is taken under it,
//      so the sequence orders a key's versions as they were committed;
//   2. the bucket row, FOR SHARE by object and upload writes (PgVersionRows::FindBucket,
//      CreateUpload, CompleteUpload), FOR UPDATE by DeleteBucket and UpdateBucket: a bucket is
//      not deleted under a write that is about to add to it, and its versioning does not change
//      under a write that read it;
//   3. the upload row, FOR UPDATE by PutPart, CompleteUpload, AbortUpload and DeleteBucket.
// Always in that order, so two writes never wait for each other in a cycle. Rather than
// SERIALIZABLE with retries: writes of a hot key would mostly abort and retry (each retry a
// round of statements), SSI's predicate locks on index pages abort writes of unrelated keys
// too, and the `mutate` callbacks of UpdateBucket/UpdateObject would run several times. Locks
// make contenders wait their turn instead, and the locking is visible where it happens.
#include <memory>

#include "store/postgres/pg_key_lock.h"
#include "store/postgres/pg_multipart_rows.h"
#include "store/postgres/pg_object_rows.h"
#include "store/postgres/pg_row_codec.h"
#include "store/postgres/pg_sql.h"
#include "store/postgres/postgres_metadata_store.h"

namespace kura::store::postgres {
namespace {

// The whole bucket record, locked FOR UPDATE; nullopt when there is none.
Result<std::optional<BucketRecord>> LockBucket(PgConnection& conn, std::string_view name) {
  auto result = conn.Exec(sql::kGetBucketForUpdate, PgParams().Bytes(name));
  if (!result) return result.error();
  if (result->rows() == 0) return std::optional<BucketRecord>();
  auto bucket = ReadBucketRow(result->row(0));
  if (!bucket) return bucket.error();
  return std::optional<BucketRecord>(std::move(bucket).value());
}

Result<bool> AnyRow(PgConnection& conn, const std::string& query, std::string_view arg) {
  auto result = conn.Exec(query, PgParams().Bytes(arg));
  if (!result) return result.error();
  return result->rows() > 0;
}

// Moves the configuration generation in the write's transaction; returns the new value.
Result<uint64_t> BumpConfigGeneration(PgConnection& conn) {
  auto result = conn.Exec(sql::kBumpConfigGeneration);
  if (!result) return result.error();
  if (result->rows() != 1) {
    return MakeError(ErrorCode::kInternalError, "no configuration generation row");
  }
  return static_cast<uint64_t>(result->row(0).Int(0));
}

// Another node may create the same name at the same moment: the insert that loses waits for
// the winner's commit and then does nothing, and the bucket read after it is the winner's.
Result<void> CreateBucketTx(PgConnection& conn, const BucketRecord& bucket) {
  KURA_TRY(CheckBucketChange(BucketRecord{}, bucket));
  PgParams params;
  BindBucketRow(params, bucket);
  auto inserted = conn.Exec(sql::kInsertBucket, params);
  if (!inserted) return inserted.error();
  if (inserted->rows() > 0) {
    KURA_TRY(BumpConfigGeneration(conn));
    return Ok();
  }
  auto existing = conn.Exec(sql::kGetBucket, PgParams().Bytes(bucket.name));
  if (!existing) return existing.error();
  if (existing->rows() == 0) return ErrorCode::kBucketAlreadyExists;  // deleted meanwhile
  return existing->row(0).Bytes(2) == bucket.owner_id ? ErrorCode::kBucketAlreadyOwnedByYou
                                                      : ErrorCode::kBucketAlreadyExists;
}

Result<std::vector<BlobRef>> DeleteBucketTx(PgConnection& conn, const std::string& name) {
  auto bucket = LockBucket(conn, name);
  if (!bucket) return bucket.error();
  if (!*bucket) return ErrorCode::kNoSuchBucket;
  for (const std::string* query : {&sql::kAnyObject, &sql::kAnyVersion}) {
    auto any = AnyRow(conn, *query, name);
    if (!any) return any.error();
    if (*any) return ErrorCode::kBucketNotEmpty;
  }
  auto dropped = DropBucketUploadsTx(conn, name);
  if (!dropped) return dropped.error();
  KURA_TRY(conn.Exec(sql::kDeleteBucket, PgParams().Bytes(name)));
  KURA_TRY(BumpConfigGeneration(conn));
  return dropped;
}

Result<void> UpdateBucketTx(PgConnection& conn, const std::string& name,
                            const std::function<Result<void>(BucketRecord&)>& mutate) {
  auto existing = LockBucket(conn, name);
  if (!existing) return existing.error();
  if (!*existing) return ErrorCode::kNoSuchBucket;
  BucketRecord bucket = **existing;
  KURA_TRY(mutate(bucket));
  bucket.name = name;
  KURA_TRY(CheckBucketChange(**existing, bucket));
  PgParams params;
  BindBucketRow(params, bucket);
  KURA_TRY(conn.Exec(sql::kUpdateBucket, params));
  KURA_TRY(BumpConfigGeneration(conn));
  return Ok();
}

Result<PutOutcome> CompleteUploadTx(PgConnection& conn, const std::string& lock_space,
                                    const CompletedUpload& completed, const LockContext& lock) {
  const ObjectRecord& object = completed.object;
  KURA_TRY(LockKey(conn, lock_space, object.bucket, object.key));
  KURA_TRY(conn.Exec(sql::kLockBucketShared, PgParams().Bytes(object.bucket)));
  auto upload = FindUpload(conn, completed.upload_id, /*lock=*/true);
  if (!upload) return upload.error();
  if (!*upload || (*upload)->object.bucket != object.bucket || (*upload)->object.key != object.key) {
    return ErrorCode::kNoSuchUpload;
  }
  auto unused = TakeUnusedPartsTx(conn, completed);
  if (!unused) return unused.error();
  PgVersionRows rows(conn);
  auto outcome = PutVersion(rows, object, completed.precondition, lock);
  if (!outcome) return outcome.error();
  KURA_TRY(DropUploadTx(conn, completed.upload_id));
  for (auto& blob : outcome->unreferenced) unused->push_back(std::move(blob));
  outcome->unreferenced = std::move(unused).value();
  return outcome;
}

Result<std::vector<BlobRef>> AbortUploadTx(PgConnection& conn, const std::string& bucket,
                                           const std::string& key, const std::string& upload_id) {
  auto upload = FindUpload(conn, upload_id, /*lock=*/true);
  if (!upload) return upload.error();
  if (!*upload || (*upload)->object.bucket != bucket || (*upload)->object.key != key) {
    return ErrorCode::kNoSuchUpload;
  }
  return DropUploadTx(conn, upload_id);
}

Result<void> WriteDocumentsTx(PgConnection& conn, const std::vector<DocumentWrite>& writes) {
  for (const auto& write : writes) {
    if (write.value) {
      KURA_TRY(conn.Exec(sql::kPutDocument,
                         PgParams().Bytes(write.kind).Bytes(write.id).Bytes(*write.value)));
    } else {
      KURA_TRY(conn.Exec(sql::kDeleteDocument, PgParams().Bytes(write.kind).Bytes(write.id)));
    }
  }
  return Ok();
}

// The generation first: see kConfigGeneration for the lock order.
Result<uint64_t> PutDocumentsTx(PgConnection& conn, const std::vector<DocumentWrite>& writes) {
  auto generation = BumpConfigGeneration(conn);
  if (!generation) return generation.error();
  KURA_TRY(WriteDocumentsTx(conn, writes));
  return generation;
}

Result<uint64_t> PutDocumentsIfTx(PgConnection& conn, const std::vector<DocumentWrite>& writes,
                                  uint64_t expected_generation) {
  auto bumped = conn.Exec(sql::kBumpConfigGenerationIf,
                          PgParams().Int(static_cast<int64_t>(expected_generation)));
  if (!bumped) return bumped.error();
  if (bumped->rows() != 1) {
    return MakeError(ErrorCode::kConcurrentModification, "the configuration generation moved");
  }
  KURA_TRY(WriteDocumentsTx(conn, writes));
  return static_cast<uint64_t>(bumped->row(0).Int(0));
}

// A compare-and-set of one document, as one conditional statement (see pg_sql.h).
Result<PgResult> ConditionalDocumentWrite(PgConnection& conn, const DocumentWrite& write,
                                          const std::string& expected) {
  if (write.value) {
    return conn.Exec(sql::kReplaceDocumentIf, PgParams().Bytes(write.kind).Bytes(write.id)
                                                  .Bytes(*write.value).Bytes(expected));
  }
  return conn.Exec(sql::kDeleteDocumentIf,
                   PgParams().Bytes(write.kind).Bytes(write.id).Bytes(expected));
}

Result<bool> CompareAndSetDocumentTx(PgConnection& conn, const DocumentWrite& write,
                                     const std::optional<std::string>& expected) {
  if (!expected && !write.value) {  // deleting what must be absent: nothing to do if it is
    auto current = conn.Exec(sql::kGetDocument, PgParams().Bytes(write.kind).Bytes(write.id));
    if (!current) return current.error();
    return current->rows() == 0;
  }
  auto written = expected ? ConditionalDocumentWrite(conn, write, *expected)
                          : conn.Exec(sql::kInsertDocumentIfAbsent,
                                      PgParams().Bytes(write.kind).Bytes(write.id).Bytes(*write.value));
  if (!written) return written.error();
  return written->rows() == 1;
}

// The generation's row lock first (see kConfigGeneration), moved only when the document was.
Result<bool> PutDocumentIfTx(PgConnection& conn, const DocumentWrite& write,
                             const std::optional<std::string>& expected) {
  KURA_TRY(conn.Exec(sql::kLockConfigGeneration));
  auto written = CompareAndSetDocumentTx(conn, write, expected);
  if (!written) return written.error();
  if (*written) KURA_TRY(BumpConfigGeneration(conn));
  return written;
}

}  // namespace

template <typename T>
void PostgresMetadataStore::Submit(std::function<Result<T>(PgConnection&)> apply,
                                   Callback<T> done) {
  if constexpr (std::is_void_v<T>) {
    writers_.Submit(std::move(apply), std::move(done));
  } else {
    // The value computed in the transaction waits here until COMMIT has succeeded.
    auto value = std::make_shared<std::optional<T>>();
    writers_.Submit(
        [apply = std::move(apply), value](PgConnection& conn) -> Result<void> {
          Result<T> result = apply(conn);
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

void PostgresMetadataStore::CreateBucket(BucketRecord bucket, Callback<void> done) {
  Submit<void>([bucket = std::move(bucket)](PgConnection& conn) {
    return CreateBucketTx(conn, bucket);
  }, std::move(done));
}

void PostgresMetadataStore::DeleteBucket(std::string name, Callback<std::vector<BlobRef>> done) {
  Submit<std::vector<BlobRef>>([name = std::move(name)](PgConnection& conn) {
    return DeleteBucketTx(conn, name);
  }, std::move(done));
}

void PostgresMetadataStore::UpdateBucket(std::string name,
                                         std::function<Result<void>(BucketRecord&)> mutate,
                                         Callback<void> done) {
  Submit<void>([name = std::move(name), mutate = std::move(mutate)](PgConnection& conn) {
    return UpdateBucketTx(conn, name, mutate);
  }, std::move(done));
}

void PostgresMetadataStore::PutObject(ObjectRecord object, WritePrecondition precondition,
                                      LockContext lock, Callback<PutOutcome> done) {
  Submit<PutOutcome>(
      [space = lock_space_, object = std::move(object), precondition = std::move(precondition),
       lock](PgConnection& conn) -> Result<PutOutcome> {
        KURA_TRY(LockKey(conn, space, object.bucket, object.key));
        PgVersionRows rows(conn);
        return PutVersion(rows, object, precondition, lock);
      },
      std::move(done));
}

void PostgresMetadataStore::DeleteObject(DeleteRequest request, Callback<DeleteOutcome> done) {
  Submit<DeleteOutcome>(
      [space = lock_space_, request = std::move(request)](PgConnection& conn)
          -> Result<DeleteOutcome> {
        KURA_TRY(LockKey(conn, space, request.bucket, request.key));
        PgVersionRows rows(conn);
        return DeleteVersion(rows, request);
      },
      std::move(done));
}

void PostgresMetadataStore::UpdateObject(std::string bucket, std::string key,
                                         std::optional<std::string> version_id,
                                         LockContext lock,
                                         std::function<Result<void>(ObjectRecord&)> mutate,
                                         Callback<void> done) {
  Submit<void>(
      [space = lock_space_, bucket = std::move(bucket), key = std::move(key),
       version_id = std::move(version_id), lock,
       mutate = std::move(mutate)](PgConnection& conn) -> Result<void> {
        KURA_TRY(LockKey(conn, space, bucket, key));
        PgVersionRows rows(conn);
        return UpdateVersion(rows, bucket, key, version_id, lock, mutate);
      },
      std::move(done));
}

void PostgresMetadataStore::PutDocuments(std::vector<DocumentWrite> writes, Callback<void> done) {
  Submit<void>([writes = std::move(writes)](PgConnection& conn) -> Result<void> {
    KURA_TRY(PutDocumentsTx(conn, writes));
    return Ok();
  }, std::move(done));
}

void PostgresMetadataStore::PutDocumentsIf(std::vector<DocumentWrite> writes,
                                           uint64_t expected_generation,
                                           Callback<uint64_t> done) {
  Submit<uint64_t>([writes = std::move(writes), expected_generation](PgConnection& conn) {
    return PutDocumentsIfTx(conn, writes, expected_generation);
  }, std::move(done));
}

void PostgresMetadataStore::PutDocumentIf(DocumentWrite write, std::optional<std::string> expected,
                                          Callback<bool> done) {
  Submit<bool>([write = std::move(write), expected = std::move(expected)](PgConnection& conn) {
    return PutDocumentIfTx(conn, write, expected);
  }, std::move(done));
}

void PostgresMetadataStore::CreateUpload(UploadRecord upload, Callback<void> done) {
  Submit<void>([upload = std::move(upload)](PgConnection& conn) {
    return CreateUploadTx(conn, upload);
  }, std::move(done));
}

void PostgresMetadataStore::PutPart(std::string upload_id, PartRecord part,
                                    Callback<std::optional<BlobRef>> done) {
  Submit<std::optional<BlobRef>>(
      [upload_id = std::move(upload_id), part = std::move(part)](PgConnection& conn) {
        return PutPartTx(conn, upload_id, part);
      },
      std::move(done));
}

void PostgresMetadataStore::CompleteUpload(CompletedUpload completed, LockContext lock,
                                           Callback<PutOutcome> done) {
  Submit<PutOutcome>(
      [space = lock_space_, completed = std::move(completed), lock](PgConnection& conn) {
        return CompleteUploadTx(conn, space, completed, lock);
      },
      std::move(done));
}

void PostgresMetadataStore::AbortUpload(std::string bucket, std::string key,
                                        std::string upload_id,
                                        Callback<std::vector<BlobRef>> done) {
  Submit<std::vector<BlobRef>>(
      [bucket = std::move(bucket), key = std::move(key),
       upload_id = std::move(upload_id)](PgConnection& conn) {
        return AbortUploadTx(conn, bucket, key, upload_id);
      },
      std::move(done));
}

}  // namespace kura::store::postgres
