// Opening and the blocking reads of PostgresMetadataStore; the writes are in postgres_writes.cc.
#include "store/postgres/postgres_metadata_store.h"

#include <algorithm>

#include "store/listing.h"
#include "store/postgres/pg_multipart_rows.h"
#include "store/postgres/pg_object_rows.h"
#include "store/postgres/pg_row_codec.h"
#include "store/postgres/pg_schema.h"
#include "store/postgres/pg_sql.h"

namespace kura::store::postgres {
namespace {

using sqlite::kObjectExtraColumn;
using sqlite::kObjectSequenceColumn;

// A cursor over one bucket's current versions: each Seek reads a small batch from the new lower
// bound (a delimiter listing seeks after almost every key), each batch read by Next twice the
// last (a plain listing reads on), so a page costs O(max_keys) rows either way.
class PgCursor final : public VersionCursor {
 public:
  PgCursor(PgConnection& conn, const std::string& query, std::string_view bucket)
      : conn_(conn), query_(query), bucket_(bucket) {}

  Result<bool> Seek(std::string_view from) override { return Fetch(from, kFirstBatch); }

  Result<bool> Next() override {
    if (index_ + 1 < batch_->rows()) {
      ++index_;
      return true;
    }
    if (batch_->rows() < asked_) return false;  // the last batch was the end
    std::string after(key());
    after.push_back('\0');  // the smallest key after it
    return Fetch(after, std::min(asked_ * 2, kMaxBatch));
  }

  std::string_view key() const override { return row().Bytes(0); }
  Result<ObjectRecord> Record() const override { return ReadObjectRow(row(), bucket_); }
  int64_t sequence() const override { return row().Int(kObjectSequenceColumn); }

  Result<std::vector<ObjectRecord>> Older(std::string_view key, int64_t below,
                                          int limit) override {
    auto result = conn_.Exec(sql::kOlderVersions,
                             PgParams().Bytes(bucket_).Bytes(key).Int(below).Int(limit));
    if (!result) return result.error();
    std::vector<ObjectRecord> older;
    for (int i = 0; i < result->rows(); ++i) {
      auto record = ReadObjectRow(result->row(i), bucket_);
      if (!record) return record.error();
      record->is_latest = false;
      older.push_back(std::move(record).value());
    }
    return older;
  }

  Result<std::optional<int64_t>> SequenceOf(std::string_view key,
                                            std::string_view version_id) override {
    PgVersionRows rows(conn_);
    auto current = rows.FindCurrent(bucket_, key);
    if (!current) return current.error();
    if (*current && (*current)->record.version_id == version_id) {
      return std::optional<int64_t>((*current)->sequence);
    }
    auto version = rows.FindNoncurrent(bucket_, key, version_id);
    if (!version) return version.error();
    if (!*version) return std::optional<int64_t>();
    return std::optional<int64_t>((*version)->sequence);
  }

 private:
  static constexpr int kFirstBatch = 16;
  static constexpr int kMaxBatch = 1024;

  PgRow row() const { return batch_->row(index_); }

  Result<bool> Fetch(std::string_view from, int limit) {
    auto result = conn_.Exec(query_, PgParams().Bytes(bucket_).Bytes(from).Int(limit));
    if (!result) return result.error();
    batch_.emplace(std::move(result).value());
    asked_ = limit;
    index_ = 0;
    return batch_->rows() > 0;
  }

  PgConnection& conn_;
  const std::string& query_;
  std::string bucket_;
  std::optional<PgResult> batch_;
  int asked_ = 0;
  int index_ = 0;
};

Result<bool> Exists(PgConnection& conn, const std::string& query, std::string_view arg) {
  auto result = conn.Exec(query, PgParams().Bytes(arg));
  if (!result) return result.error();
  return result->rows() > 0;
}

// Runs a read of several statements in one snapshot, whatever commits meanwhile.
template <typename T, typename F>
Result<T> InSnapshot(PgConnection& conn, F&& read) {
  KURA_TRY(conn.Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  Result<T> result = read();
  if (!conn.broken()) (void)conn.Run("ROLLBACK");
  return result;
}

Result<void> RequireBucket(PgConnection& conn, std::string_view bucket) {
  auto exists = Exists(conn, sql::kBucketExists, bucket);
  if (!exists) return exists.error();
  if (!*exists) return ErrorCode::kNoSuchBucket;
  return Ok();
}

PgSettings SettingsFor(const std::string& url, const PostgresOptions& options) {
  PgSettings settings;
  settings.url = url;
  settings.connect_timeout_seconds = options.connect_timeout_seconds;
  settings.statement_timeout_ms = options.statement_timeout_ms;
  return settings;
}

}  // namespace

namespace {
// The node lock: a session advisory lock on ("kura", the schema's hash), in the two-key space,
// which never meets the one-key space of the write locks (pg_key_lock.h).
Result<void> TakeNodeLock(PgConnection& conn) {
  auto taken = conn.Exec(
      "SELECT pg_try_advisory_lock(1802856033, hashtext(current_schema()))::int");
  if (!taken) return taken.error();
  if (taken->row(0).Int(0) != 1) {
    return MakeError(ErrorCode::kServiceUnavailable,
                     "another kura node serves this PostgreSQL schema; one node at a time may, "
                     "until nodes follow each other's IAM and configuration changes (issue #20)");
  }
  return Ok();
}
}  // namespace

Result<std::unique_ptr<PostgresMetadataStore>> PostgresMetadataStore::Open(
    const std::string& url, PostgresOptions options) {
  PgSettings settings = SettingsFor(url, options);
  auto conn = PgConnection::Connect(settings);
  if (!conn) return conn.error();
  KURA_TRY(MigratePgSchema(**conn));
  auto schema = (*conn)->Exec("SELECT current_schema()::bytea");
  if (!schema) return schema.error();
  std::string lock_space(schema->row(0).Bytes(0));
  std::unique_ptr<PgConnection> node_lock;
  if (options.single_node) {
    KURA_TRY(TakeNodeLock(**conn));
    node_lock = std::move(conn).value();
  }
  return std::unique_ptr<PostgresMetadataStore>(new PostgresMetadataStore(
      std::move(node_lock), settings, options, std::move(lock_space)));
}

PostgresMetadataStore::PostgresMetadataStore(std::unique_ptr<PgConnection> node_lock,
                                             const PgSettings& settings,
                                             const PostgresOptions& options,
                                             std::string lock_space)
    : node_lock_(std::move(node_lock)),
      readers_(settings, std::max<size_t>(options.reader_connections, 1)),
      lock_space_(std::move(lock_space)),
      writers_(settings, std::max<size_t>(options.writer_connections, 1), options.before_commit) {}

PostgresMetadataStore::~PostgresMetadataStore() = default;

template <typename T>
Result<T> PostgresMetadataStore::Read(const std::function<Result<T>(PgConnection&)>& read) {
  for (int attempt = 0;; ++attempt) {
    auto conn = readers_.Acquire();
    if (!conn) return conn.error();
    Result<T> result = read(**conn);
    if (result || !(*conn)->broken() || attempt == 1) return result;
  }
}

Result<std::unordered_set<std::string>> PostgresMetadataStore::ReferencedBlobIds() {
  using Ids = std::unordered_set<std::string>;
  return Read<Ids>([](PgConnection& conn) {
    return InSnapshot<Ids>(conn, [&]() -> Result<Ids> {
      Ids ids;
      auto files = conn.Exec(sql::kFileBlobIds);
      if (!files) return files.error();
      for (int i = 0; i < files->rows(); ++i) ids.emplace(files->row(i).Bytes(0));
      auto parts = conn.Exec(sql::kPartsBlobs);
      if (!parts) return parts.error();
      for (int i = 0; i < parts->rows(); ++i) {
        auto decoded = sqlite::DecodeParts(parts->row(i).Bytes(0));
        if (!decoded) return MakeError(ErrorCode::kInternalError, "corrupt blob_parts");
        for (auto& part : *decoded) ids.insert(std::move(part.id));
      }
      return ids;
    });
  });
}

Result<BucketRecord> PostgresMetadataStore::GetBucket(std::string_view name) {
  return Read<BucketRecord>([&](PgConnection& conn) -> Result<BucketRecord> {
    auto result = conn.Exec(sql::kGetBucket, PgParams().Bytes(name));
    if (!result) return result.error();
    if (result->rows() == 0) return ErrorCode::kNoSuchBucket;
    return ReadBucketRow(result->row(0));
  });
}

Result<std::vector<BucketRecord>> PostgresMetadataStore::ListBuckets() {
  using Buckets = std::vector<BucketRecord>;
  return Read<Buckets>([](PgConnection& conn) -> Result<Buckets> {
    auto result = conn.Exec(sql::kListBuckets);
    if (!result) return result.error();
    Buckets all;
    for (int i = 0; i < result->rows(); ++i) {
      auto bucket = ReadBucketRow(result->row(i));
      if (!bucket) return bucket.error();
      all.push_back(std::move(bucket).value());
    }
    return all;
  });
}

Result<ObjectRecord> PostgresMetadataStore::GetObject(std::string_view bucket,
                                                      std::string_view key,
                                                      std::optional<std::string_view> version_id) {
  return ReadVersion(bucket, key, version_id, /*with_body=*/true);
}

Result<ObjectRecord> PostgresMetadataStore::GetObjectMeta(
    std::string_view bucket, std::string_view key, std::optional<std::string_view> version_id) {
  return ReadVersion(bucket, key, version_id, /*with_body=*/false);
}

// The latest version is one primary-key read of `objects`; a version by id that is not the
// latest costs one more indexed read of `object_versions`, in the same snapshot.
Result<ObjectRecord> PostgresMetadataStore::ReadVersion(
    std::string_view bucket, std::string_view key, std::optional<std::string_view> version_id,
    bool with_body) {
  return Read<ObjectRecord>([&](PgConnection& conn) -> Result<ObjectRecord> {
    // The version `query` finds; nullopt when there is none or when it is not `version_id`.
    auto find = [&](const std::string& query, bool latest) -> Result<std::optional<ObjectRecord>> {
      PgParams params;
      params.Bytes(bucket).Bytes(key);
      if (!latest) params.Bytes(*version_id);
      auto result = conn.Exec(query, params);
      if (!result) return result.error();
      if (result->rows() == 0) return std::optional<ObjectRecord>();
      PgRow row = result->row(0);
      if (version_id && row.Bytes(16) != *version_id) return std::optional<ObjectRecord>();
      auto object = ReadObjectRow(row, bucket);
      if (!object) return object.error();
      object->is_latest = latest;
      if (with_body) KURA_TRY(ReadInlineBody(row, kObjectExtraColumn, bucket, key, object->blob));
      return std::optional<ObjectRecord>(std::move(object).value());
    };
    auto lookup = [&]() -> Result<ObjectRecord> {
      auto found = find(with_body ? sql::kGetObject : sql::kGetObjectMeta, true);
      if (found && !*found && version_id) {
        found = find(with_body ? sql::kGetVersion : sql::kGetVersionMeta, false);
      }
      if (!found) return found.error();
      if (*found) return std::move(**found);
      KURA_TRY(RequireBucket(conn, bucket));
      return version_id ? ErrorCode::kNoSuchVersion : ErrorCode::kNoSuchKey;
    };
    // A version by id may take two reads, which must not see it move between the tables.
    if (version_id) return InSnapshot<ObjectRecord>(conn, lookup);
    return lookup();
  });
}

Result<ListPage> PostgresMetadataStore::ListObjects(const ListQuery& query) {
  return Read<ListPage>([&](PgConnection& conn) {
    return InSnapshot<ListPage>(conn, [&]() -> Result<ListPage> {
      KURA_TRY(RequireBucket(conn, query.bucket));
      PgCursor cursor(conn, sql::kSeekObjects, query.bucket);
      return ListPageFromCursor(query, cursor);
    });
  });
}

Result<VersionListPage> PostgresMetadataStore::ListObjectVersions(const VersionListQuery& query) {
  return Read<VersionListPage>([&](PgConnection& conn) {
    return InSnapshot<VersionListPage>(conn, [&]() -> Result<VersionListPage> {
      KURA_TRY(RequireBucket(conn, query.bucket));
      PgCursor cursor(conn, sql::kSeekLatest, query.bucket);
      return VersionPageFromCursor(query, cursor);
    });
  });
}

Result<std::optional<std::string>> PostgresMetadataStore::GetDocument(std::string_view kind,
                                                                      std::string_view id) {
  using Value = std::optional<std::string>;
  return Read<Value>([&](PgConnection& conn) -> Result<Value> {
    auto result = conn.Exec(sql::kGetDocument, PgParams().Bytes(kind).Bytes(id));
    if (!result) return result.error();
    if (result->rows() == 0) return Value();
    return Value(std::string(result->row(0).Bytes(0)));
  });
}

Result<uint64_t> PostgresMetadataStore::ConfigGeneration() {
  return Read<uint64_t>([](PgConnection& conn) -> Result<uint64_t> {
    auto result = conn.Exec(sql::kConfigGeneration);
    if (!result) return result.error();
    if (result->rows() != 1) {
      return MakeError(ErrorCode::kInternalError, "no configuration generation row");
    }
    return static_cast<uint64_t>(result->row(0).Int(0));
  });
}

// The registry's writes are single autocommit statements on a reader connection, apart from the
// writers' queue: a heartbeat never waits behind a batch of object writes (and Read repeats it
// once on a fresh connection, which an upsert or delete allows).
Result<void> PostgresMetadataStore::ConfirmFollowing(std::string_view node_id,
                                                     uint64_t generation) {
  return Read<void>([&](PgConnection& conn) -> Result<void> {
    KURA_TRY(conn.Exec(sql::kConfirmFollowing,
                       PgParams().Bytes(node_id).Int(static_cast<int64_t>(generation))));
    return Ok();
  });
}

Result<std::vector<std::string>> PostgresMetadataStore::NodesBehind(
    uint64_t generation, std::chrono::milliseconds liveness) {
  using Ids = std::vector<std::string>;
  return Read<Ids>([&](PgConnection& conn) -> Result<Ids> {
    auto result = conn.Exec(sql::kNodesBehind, PgParams()
                                                   .Int(static_cast<int64_t>(generation))
                                                   .Int(static_cast<int64_t>(liveness.count())));
    if (!result) return result.error();
    Ids behind;
    for (int i = 0; i < result->rows(); ++i) behind.emplace_back(result->row(i).Bytes(0));
    return behind;
  });
}

Result<void> PostgresMetadataStore::LeaveFollowing(std::string_view node_id) {
  return Read<void>([&](PgConnection& conn) -> Result<void> {
    KURA_TRY(conn.Exec(sql::kLeaveFollowing, PgParams().Bytes(node_id)));
    return Ok();
  });
}

// Autocommit statements on a reader connection, as the registry's: a flush never waits behind
// object writes. Each statement upserts up to kKeyUsesPerStatement rows; LatestPerKey's order
// keeps nodes flushing the same keys from deadlocking, and a batch cut short by a failure is
// harmless (a later use is never replaced; the tracker writes the batch again).
Result<void> PostgresMetadataStore::RecordKeyUses(const std::vector<KeyUse>& uses) {
  constexpr size_t kKeyUsesPerStatement = 1000;  // 4 000 parameters, far below libpq's 65 535
  std::vector<KeyUse> latest = LatestPerKey(uses);
  for (size_t begin = 0; begin < latest.size(); begin += kKeyUsesPerStatement) {
    size_t end = std::min(latest.size(), begin + kKeyUsesPerStatement);
    PgParams params;
    for (size_t i = begin; i < end; ++i) {
      params.Bytes(latest[i].access_key_id).Int(latest[i].used_at_ms).Bytes(latest[i].service)
          .Bytes(latest[i].region);
    }
    std::string statement = sql::RecordKeyUses(static_cast<int>(end - begin));
    Result<void> written = Read<void>([&](PgConnection& conn) -> Result<void> {
      KURA_TRY(conn.Exec(statement, params));
      return Ok();
    });
    if (!written) return written;
  }
  return Ok();
}

Result<std::optional<KeyUse>> PostgresMetadataStore::LastKeyUse(std::string_view access_key_id) {
  using Found = std::optional<KeyUse>;
  return Read<Found>([&](PgConnection& conn) -> Result<Found> {
    auto result = conn.Exec(sql::kLastKeyUse, PgParams().Bytes(access_key_id));
    if (!result) return result.error();
    if (result->rows() == 0) return Found();
    PgRow row = result->row(0);
    return Found(KeyUse{std::string(access_key_id), row.Int(0), std::string(row.Bytes(1)),
                        std::string(row.Bytes(2))});
  });
}

Result<std::vector<std::pair<std::string, std::string>>> PostgresMetadataStore::ListDocuments(
    std::string_view kind) {
  using Documents = std::vector<std::pair<std::string, std::string>>;
  return Read<Documents>([&](PgConnection& conn) -> Result<Documents> {
    auto result = conn.Exec(sql::kListDocuments, PgParams().Bytes(kind));
    if (!result) return result.error();
    Documents all;
    for (int i = 0; i < result->rows(); ++i) {
      PgRow row = result->row(i);
      all.emplace_back(std::string(row.Bytes(0)), std::string(row.Bytes(1)));
    }
    return all;
  });
}

Result<UploadRecord> PostgresMetadataStore::GetUpload(std::string_view bucket,
                                                      std::string_view key,
                                                      std::string_view upload_id) {
  return Read<UploadRecord>([&](PgConnection& conn) -> Result<UploadRecord> {
    auto upload = FindUpload(conn, upload_id);
    if (!upload) return upload.error();
    if (!*upload || (*upload)->object.bucket != bucket || (*upload)->object.key != key) {
      return ErrorCode::kNoSuchUpload;
    }
    return std::move(**upload);
  });
}

Result<std::vector<PartRecord>> PostgresMetadataStore::ListParts(std::string_view upload_id,
                                                                 int after_part, int limit) {
  using Parts = std::vector<PartRecord>;
  return Read<Parts>([&](PgConnection& conn) {
    return InSnapshot<Parts>(conn, [&]() -> Result<Parts> {
      auto upload = FindUpload(conn, upload_id);
      if (!upload) return upload.error();
      if (!*upload) return ErrorCode::kNoSuchUpload;
      return ReadParts(conn, upload_id, after_part, limit);
    });
  });
}

Result<std::vector<UploadRecord>> PostgresMetadataStore::ListUploads(const UploadQuery& query) {
  using Uploads = std::vector<UploadRecord>;
  return Read<Uploads>([&](PgConnection& conn) {
    return InSnapshot<Uploads>(conn, [&]() -> Result<Uploads> {
      KURA_TRY(RequireBucket(conn, query.bucket));
      return ReadUploads(conn, query);
    });
  });
}

}  // namespace kura::store::postgres
