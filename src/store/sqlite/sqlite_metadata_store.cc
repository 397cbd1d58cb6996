// Opening and the blocking reads of SqliteMetadataStore; the writes are in sqlite_writes.cc.
#include "store/sqlite/sqlite_metadata_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/listing.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/multipart_rows.h"
#include "store/sqlite/object_rows.h"
#include "store/sqlite/row_codec.h"
#include "store/sqlite/sql_queries.h"

namespace kura::store::sqlite {
namespace {

// A cursor over one bucket: each Seek re-runs the range query from a new lower bound. The
// version reads run on `db`'s other cached statements.
class SqlCursor final : public VersionCursor {
 public:
  SqlCursor(Db& db, StatementLease stmt, std::string_view bucket)
      : db_(db), stmt_(std::move(stmt)), bucket_(bucket) {}

  Result<bool> Seek(std::string_view from) override {
    stmt_->Reset();
    stmt_->Bind(1, bucket_).Bind(2, from);
    return stmt_->Step();
  }
  Result<bool> Next() override { return stmt_->Step(); }
  std::string_view key() const override { return stmt_->Text(0); }
  Result<ObjectRecord> Record() const override { return ReadObjectRow(*stmt_, bucket_); }
  int64_t sequence() const override { return stmt_->Int(kObjectSequenceColumn); }

  Result<std::vector<ObjectRecord>> Older(std::string_view key, int64_t below,
                                          int limit) override {
    auto stmt = db_.Prepare(sql::kOlderVersions);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, bucket_).Bind(2, key).Bind(3, below).Bind(4, int64_t{limit});
    std::vector<ObjectRecord> older;
    while (true) {
      auto row = (*stmt)->Step();
      if (!row) return row.error();
      if (!*row) return older;
      auto record = ReadObjectRow(**stmt, bucket_);
      if (!record) return record.error();
      record->is_latest = false;
      older.push_back(std::move(record).value());
    }
  }

  Result<std::optional<int64_t>> SequenceOf(std::string_view key,
                                            std::string_view version_id) override {
    auto current = FindObjectRow(db_, bucket_, key);
    if (!current) return current.error();
    if (*current && (*current)->record.version_id == version_id) {
      return std::optional<int64_t>((*current)->sequence);
    }
    auto version = SqlVersionRows(db_).FindNoncurrent(bucket_, key, version_id);
    if (!version) return version.error();
    if (!*version) return std::optional<int64_t>();
    return std::optional<int64_t>((*version)->sequence);
  }

 private:
  Db& db_;
  StatementLease stmt_;
  std::string bucket_;
};

Result<bool> Exists(Db& db, const char* query, std::string_view arg) {
  auto stmt = db.Prepare(query);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, arg);
  return (*stmt)->Step();
}

// Runs a read in one snapshot (a deferred read transaction), whatever commits meanwhile.
template <typename T, typename F>
Result<T> InSnapshot(Db& db, F&& read) {
  KURA_TRY(db.Exec("BEGIN"));
  Result<T> result = read();
  (void)db.Exec("COMMIT");
  return result;
}

// Makes the database owner-only (0600) before SQLite opens it: it holds sealed IAM secrets and
// every name in the store. SQLite creates the -wal and -shm files with the main file's mode, so
// creating the main file 0600 first covers them; files an older kura left 0644 are narrowed.
Result<void> RestrictToOwner(const std::filesystem::path& db_file) {
  int fd = ::open(db_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0 || ::fchmod(fd, 0600) != 0) {
    std::string reason = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return MakeError(ErrorCode::kInternalError, "cannot open " + db_file.string() + ": " + reason);
  }
  ::close(fd);
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::path side = db_file;
    side += suffix;
    if (::chmod(side.c_str(), 0600) != 0 && errno != ENOENT) {
      return MakeError(ErrorCode::kInternalError,
                       "cannot chmod " + side.string() + ": " + std::strerror(errno));
    }
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteMetadataStore>> SqliteMetadataStore::Open(
    const std::filesystem::path& db_file, SqliteOptions options) {
  KURA_TRY(RestrictToOwner(db_file));
  auto writer = Db::Open(db_file);
  if (!writer) return writer.error();
  KURA_TRY(Migrate(**writer));
  auto checkpointer = Checkpointer::Open(db_file);
  if (!checkpointer) return checkpointer.error();
  (*checkpointer)->Attach(**writer);
  return std::unique_ptr<SqliteMetadataStore>(new SqliteMetadataStore(
      db_file, std::move(checkpointer).value(), std::move(writer).value(), std::move(options)));
}

SqliteMetadataStore::SqliteMetadataStore(std::filesystem::path file,
                                         std::unique_ptr<Checkpointer> checkpointer,
                                         std::unique_ptr<Db> writer, SqliteOptions options)
    : readers_(std::move(file)),
      checkpointer_(std::move(checkpointer)),
      committer_(std::move(writer), std::move(options.commit_hook),
                 std::move(options.release_space), std::move(options.on_commit)),
      latest_(committer_.WriteGeneration(), options.record_cache_bytes) {}

SqliteMetadataStore::~SqliteMetadataStore() = default;

Result<std::unordered_set<std::string>> SqliteMetadataStore::ReferencedBlobIds() {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  return InSnapshot<std::unordered_set<std::string>>(
      **db, [&]() -> Result<std::unordered_set<std::string>> {
        std::unordered_set<std::string> ids;
        auto files = (*db)->Prepare(sql::kFileBlobIds);
        if (!files) return files.error();
        // A step error must fail the sweep: an incomplete set would delete live blobs.
        while (true) {
          auto row = (*files)->Step();
          if (!row) return row.error();
          if (!*row) break;
          ids.emplace((*files)->Text(0));
        }
        auto parts = (*db)->Prepare(sql::kPartsBlobs);
        if (!parts) return parts.error();
        while (true) {
          auto row = (*parts)->Step();
          if (!row) return row.error();
          if (!*row) break;
          auto decoded = DecodeParts((*parts)->Blob(0));
          if (!decoded) return MakeError(ErrorCode::kInternalError, "corrupt blob_parts");
          for (auto& part : *decoded) ids.insert(std::move(part.id));
        }
        return ids;
      });
}

Result<BucketRecord> SqliteMetadataStore::GetBucket(std::string_view name) {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  auto stmt = (*db)->Prepare(sql::kGetBucket);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, name);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return ErrorCode::kNoSuchBucket;
  return ReadBucketRow(**stmt);
}

Result<std::vector<BucketRecord>> SqliteMetadataStore::ListBuckets() {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  auto stmt = (*db)->Prepare(sql::kListBuckets);
  if (!stmt) return stmt.error();
  std::vector<BucketRecord> all;
  while (true) {
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    if (!*row) return all;
    auto bucket = ReadBucketRow(**stmt);
    if (!bucket) return bucket.error();
    all.push_back(std::move(bucket).value());
  }
}

Result<ObjectRecord> SqliteMetadataStore::GetObject(std::string_view bucket, std::string_view key,
                                                    std::optional<std::string_view> version_id) {
  return ReadVersion(bucket, key, version_id, /*with_body=*/true);
}

Result<ObjectRecord> SqliteMetadataStore::GetObjectMeta(
    std::string_view bucket, std::string_view key, std::optional<std::string_view> version_id) {
  return ReadVersion(bucket, key, version_id, /*with_body=*/false);
}

// The latest version is one primary-key read of `objects`, whatever the bucket's versioning; a
// version by id that is not the latest costs one more indexed read of `object_versions`.
Result<ObjectRecord> SqliteMetadataStore::ReadVersion(std::string_view bucket,
                                                      std::string_view key,
                                                      std::optional<std::string_view> version_id,
                                                      bool with_body) {
  if (!version_id) {
    if (auto cached = latest_.Find(bucket, key, with_body)) return std::move(*cached);
  }
  uint64_t generation = latest_.Generation();
  auto db = readers_.Acquire();
  if (!db) return db.error();
  // The version `query` finds (by bucket, key[, version id]); nullopt when there is none or when
  // it is not `version_id`.
  auto read = [&](const char* query, bool latest) -> Result<std::optional<ObjectRecord>> {
    auto stmt = (*db)->Prepare(query);
    if (!stmt) return stmt.error();
    (*stmt)->BindView(1, bucket).BindView(2, key);  // the lease ends before the views do
    if (!latest) (*stmt)->BindView(3, *version_id);
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    if (!*row || (version_id && (*stmt)->Text(16) != *version_id)) {
      return std::optional<ObjectRecord>();
    }
    auto object = ReadObjectRow(**stmt, bucket);
    if (!object) return object.error();
    object->is_latest = latest;
    if (with_body) KURA_TRY(ReadInlineBody(**stmt, kObjectExtraColumn, bucket, key, object->blob));
    return std::optional<ObjectRecord>(std::move(object).value());
  };
  auto lookup = [&]() -> Result<ObjectRecord> {
    auto found = read(with_body ? sql::kGetObject : sql::kGetObjectMeta, true);
    if (found && !*found && version_id) {
      found = read(with_body ? sql::kGetVersion : sql::kGetVersionMeta, false);
    }
    if (!found) return found.error();
    if (*found) return std::move(**found);
    auto exists = Exists(**db, sql::kBucketExists, bucket);
    if (!exists) return exists.error();
    if (!*exists) return ErrorCode::kNoSuchBucket;
    return version_id ? ErrorCode::kNoSuchVersion : ErrorCode::kNoSuchKey;
  };
  // The latest alone is one statement; a version by id may take two, which must not see a
  // version move between the tables in between.
  if (version_id) return InSnapshot<ObjectRecord>(**db, lookup);
  auto latest = lookup();
  if (latest) latest_.Insert(bucket, key, with_body, generation, *latest);
  return latest;
}

Result<ListPage> SqliteMetadataStore::ListObjects(const ListQuery& query) {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  return InSnapshot<ListPage>(**db, [&]() -> Result<ListPage> {
    auto exists = Exists(**db, sql::kBucketExists, query.bucket);
    if (!exists) return exists.error();
    if (!*exists) return ErrorCode::kNoSuchBucket;
    auto stmt = (*db)->Prepare(sql::kSeekObjects);
    if (!stmt) return stmt.error();
    SqlCursor cursor(**db, std::move(stmt).value(), query.bucket);
    return ListPageFromCursor(query, cursor);
  });
}

Result<VersionListPage> SqliteMetadataStore::ListObjectVersions(const VersionListQuery& query) {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  return InSnapshot<VersionListPage>(**db, [&]() -> Result<VersionListPage> {
    auto exists = Exists(**db, sql::kBucketExists, query.bucket);
    if (!exists) return exists.error();
    if (!*exists) return ErrorCode::kNoSuchBucket;
    auto stmt = (*db)->Prepare(sql::kSeekLatest);
    if (!stmt) return stmt.error();
    SqlCursor cursor(**db, std::move(stmt).value(), query.bucket);
    return VersionPageFromCursor(query, cursor);
  });
}

Result<std::optional<std::string>> SqliteMetadataStore::GetDocument(std::string_view kind,
                                                                    std::string_view id) {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  auto stmt = (*db)->Prepare(sql::kGetDocument);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, kind).Bind(2, id);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(std::string((*stmt)->Blob(0)));
}

Result<uint64_t> SqliteMetadataStore::ConfigGeneration() {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  auto stmt = (*db)->Prepare(sql::kConfigGeneration);
  if (!stmt) return stmt.error();
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return MakeError(ErrorCode::kInternalError, "no configuration generation row");
  return static_cast<uint64_t>((*stmt)->Int(0));
}

Result<std::vector<std::string>> SqliteMetadataStore::NodesBehind(
    uint64_t generation, std::chrono::milliseconds liveness) {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  auto stmt = (*db)->Prepare(sql::kNodesBehind);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, static_cast<int64_t>(generation)).Bind(2, static_cast<int64_t>(liveness.count()));
  std::vector<std::string> behind;
  for (;;) {
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    if (!*row) return behind;
    behind.emplace_back((*stmt)->Text(0));
  }
}

Result<std::optional<KeyUse>> SqliteMetadataStore::LastKeyUse(std::string_view access_key_id) {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  auto stmt = (*db)->Prepare(sql::kLastKeyUse);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, access_key_id);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<KeyUse>();
  return std::optional<KeyUse>(KeyUse{std::string(access_key_id), (*stmt)->Int(0),
                                      std::string((*stmt)->Text(1)),
                                      std::string((*stmt)->Text(2))});
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteMetadataStore::ListDocuments(
    std::string_view kind) {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  auto stmt = (*db)->Prepare(sql::kListDocuments);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, kind);
  std::vector<std::pair<std::string, std::string>> all;
  while (true) {
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    if (!*row) return all;
    all.emplace_back(std::string((*stmt)->Text(0)), std::string((*stmt)->Blob(1)));
  }
}

Result<UploadRecord> SqliteMetadataStore::GetUpload(std::string_view bucket, std::string_view key,
                                                    std::string_view upload_id) {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  auto upload = FindUpload(**db, upload_id);
  if (!upload) return upload.error();
  if (!*upload || (*upload)->object.bucket != bucket || (*upload)->object.key != key) {
    return ErrorCode::kNoSuchUpload;
  }
  return std::move(**upload);
}

Result<std::vector<PartRecord>> SqliteMetadataStore::ListParts(std::string_view upload_id,
                                                               int after_part, int limit) {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  return InSnapshot<std::vector<PartRecord>>(**db, [&]() -> Result<std::vector<PartRecord>> {
    auto upload = FindUpload(**db, upload_id);
    if (!upload) return upload.error();
    if (!*upload) return ErrorCode::kNoSuchUpload;
    return ReadParts(**db, upload_id, after_part, limit);
  });
}

Result<std::vector<UploadRecord>> SqliteMetadataStore::ListUploads(const UploadQuery& query) {
  auto db = readers_.Acquire();
  if (!db) return db.error();
  return InSnapshot<std::vector<UploadRecord>>(**db, [&]() -> Result<std::vector<UploadRecord>> {
    auto exists = Exists(**db, sql::kBucketExists, query.bucket);
    if (!exists) return exists.error();
    if (!*exists) return ErrorCode::kNoSuchBucket;
    return ReadUploads(**db, query);
  });
}

}  // namespace kura::store::sqlite
