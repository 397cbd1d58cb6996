#include "store/sqlite/sqlite_version_scan.h"

#include <string>

#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/row_codec.h"

namespace kura::store::sqlite {
namespace {

// Versions need migration 4 (object_versions, seq, delete markers).
constexpr int kOldestScannableSchema = 4;

// The columns of one version row, from either version table; inline_id is joined below.
#define KURA_SCAN_VERSION_COLUMNS                                                         \
  "bucket, key, seq, version_id, %LATEST% AS latest, delete_marker, blob_kind, blob_id, " \
  "blob_parts, size, length(encryption) > 0 AS encrypted, inline_id"

// `where` selects rows of both tables; the inline body and its CRC (whether none is recorded,
// then the CRC) are joined; a database without inline checksums records none.
std::string VersionQuery(const std::string& where, const std::string& tail, bool has_crc) {
  std::string columns = KURA_SCAN_VERSION_COLUMNS;
  auto with_latest = [&](const char* latest) {
    std::string c = columns;
    c.replace(c.find("%LATEST%"), 8, latest);
    return c;
  };
  // A CRC is a u32 however it was bound (signed or not): masked to 32 bits.
  std::string crc = has_crc ? "b.crc32c IS NULL, coalesce(b.crc32c, 0) & 4294967295" : "1, 0";
  return "SELECT v.bucket, v.key, v.seq, v.version_id, v.latest, v.delete_marker, v.blob_kind, "
         "v.blob_id, v.blob_parts, v.size, v.encrypted, b.data, " +
         crc +
         " FROM ("
         "SELECT " +
         with_latest("1") + " FROM objects WHERE " + where + " UNION ALL SELECT " +
         with_latest("0") + " FROM object_versions WHERE " + where + tail +
         ") AS v LEFT JOIN inline_blobs AS b ON v.inline_id <> 0 AND b.id = v.inline_id "
         "ORDER BY v.bucket, v.key, v.seq DESC";
}

// (bucket, key) >= (?1, ?2) seeks both primary keys; the NOT drops the versions of the
// position's own key already walked (seq ?3 and newer).
constexpr const char kAfterWhere[] =
    "(bucket, key) >= (?1, ?2) AND NOT (bucket = ?1 AND key = ?2 AND seq >= ?3)";
constexpr const char kAfterTail[] = " ORDER BY 1, 2, 3 DESC LIMIT ?4";
constexpr const char kAtWhere[] = "bucket = ?1 AND key = ?2 AND seq = ?3";

constexpr const char kPartsAfter[] =
    "SELECT p.upload_id, p.part_number, u.bucket, u.key, p.size, p.blob_id, u.object "
    "FROM parts AS p JOIN uploads AS u ON u.upload_id = p.upload_id "
    "WHERE (p.upload_id, p.part_number) > (?1, ?2) ORDER BY p.upload_id, p.part_number LIMIT ?3";
constexpr const char kPartAt[] =
    "SELECT p.upload_id, p.part_number, u.bucket, u.key, p.size, p.blob_id, u.object "
    "FROM parts AS p JOIN uploads AS u ON u.upload_id = p.upload_id "
    "WHERE p.upload_id = ?1 AND p.part_number = ?2";
constexpr const char kTotals[] =
    "SELECT (SELECT count(*) FROM objects) + (SELECT count(*) FROM object_versions), "
    "(SELECT count(*) FROM parts), "
    "(SELECT coalesce(sum(size), 0) FROM objects) + "
    "(SELECT coalesce(sum(size), 0) FROM object_versions) + "
    "(SELECT coalesce(sum(size), 0) FROM parts)";
constexpr const char kFileBlobIds[] =
    "SELECT blob_id FROM objects WHERE blob_kind = 1 "
    "UNION ALL SELECT blob_id FROM object_versions WHERE blob_kind = 1 "
    "UNION ALL SELECT blob_id FROM parts";
constexpr const char kPartsBlobs[] =
    "SELECT blob_parts FROM objects WHERE blob_kind = 2 "
    "UNION ALL SELECT blob_parts FROM object_versions WHERE blob_kind = 2";

Error Corrupt(std::string_view what) {
  return MakeError(ErrorCode::kInternalError, "corrupt metadata row: " + std::string(what));
}

Result<ScannedVersion> ReadVersion(const Statement& row) {
  ScannedVersion v;
  v.at = {std::string(row.Text(0)), std::string(row.Text(1)), row.Int(2)};
  v.version_id = row.Text(3);
  v.is_latest = row.Int(4) != 0;
  v.is_delete_marker = row.Int(5) != 0;
  int64_t kind = row.Int(6);
  if (kind < 0 || kind > 2) return Corrupt("blob kind of " + v.at.key);
  v.blob.kind = static_cast<BlobRef::Kind>(kind);
  v.blob.id = row.Text(7);
  auto parts = DecodeParts(row.Blob(8));
  if (!parts) return Corrupt("blob parts of " + v.at.key);
  v.blob.parts = std::move(*parts);
  v.blob.size = static_cast<uint64_t>(row.Int(9));
  v.encrypted = row.Int(10) != 0;
  v.blob.inline_data = row.Blob(11);
  if (row.Int(12) == 0) v.inline_crc32c = static_cast<uint32_t>(row.Int(13));
  return v;
}

Result<ScannedPart> ReadPart(const Statement& row) {
  ScannedPart p;
  p.at = {std::string(row.Text(0)), static_cast<int>(row.Int(1))};
  p.bucket = row.Text(2);
  p.key = row.Text(3);
  p.size = static_cast<uint64_t>(row.Int(4));
  p.blob_id = row.Text(5);
  auto upload = DecodeObjectTemplate(row.Blob(6));
  if (!upload) return Corrupt("upload " + p.at.upload_id);
  p.encrypted = !upload->encryption.empty();
  return p;
}

template <typename T, typename Read>
Result<std::vector<T>> ReadAll(Statement& stmt, Read read) {
  std::vector<T> out;
  while (true) {
    auto row = stmt.Step();
    if (!row) return row.error();
    if (!*row) return out;
    auto item = read(stmt);
    if (!item) return item.error();
    out.push_back(std::move(item).value());
  }
}

Result<int64_t> ReadInt(Db& db, const char* query) {
  auto stmt = db.Prepare(query);
  if (!stmt) return stmt.error();
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  return *row ? (*stmt)->Int(0) : 0;
}

class SqliteVersionScan final : public VersionScan {
 public:
  SqliteVersionScan(std::unique_ptr<Db> db, bool has_crc)
      : db_(std::move(db)),
        versions_after_(VersionQuery(kAfterWhere, kAfterTail, has_crc)),
        version_at_(VersionQuery(kAtWhere, "", has_crc)) {}

  Result<std::vector<ScannedVersion>> VersionsAfter(const VersionPosition& after,
                                                    int limit) override {
    auto stmt = db_->Prepare(versions_after_);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, after.bucket).Bind(2, after.key).Bind(3, after.order);
    (*stmt)->Bind(4, int64_t{limit});
    return ReadAll<ScannedVersion>(**stmt, ReadVersion);
  }

  Result<std::optional<ScannedVersion>> FindVersion(const VersionPosition& at) override {
    auto stmt = db_->Prepare(version_at_);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, at.bucket).Bind(2, at.key).Bind(3, at.order);
    auto found = ReadAll<ScannedVersion>(**stmt, ReadVersion);
    if (!found) return found.error();
    if (found->empty()) return std::optional<ScannedVersion>();
    return std::optional<ScannedVersion>(std::move(found->front()));
  }

  Result<std::vector<ScannedPart>> PartsAfter(const PartPosition& after, int limit) override {
    auto stmt = db_->Prepare(kPartsAfter);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, after.upload_id).Bind(2, int64_t{after.part_number});
    (*stmt)->Bind(3, int64_t{limit});
    return ReadAll<ScannedPart>(**stmt, ReadPart);
  }

  Result<std::optional<ScannedPart>> FindPart(const PartPosition& at) override {
    auto stmt = db_->Prepare(kPartAt);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, at.upload_id).Bind(2, int64_t{at.part_number});
    auto found = ReadAll<ScannedPart>(**stmt, ReadPart);
    if (!found) return found.error();
    if (found->empty()) return std::optional<ScannedPart>();
    return std::optional<ScannedPart>(std::move(found->front()));
  }

  Result<ScanTotals> Totals() override {
    auto stmt = db_->Prepare(kTotals);
    if (!stmt) return stmt.error();
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    if (!*row) return ScanTotals{};
    return ScanTotals{static_cast<uint64_t>((*stmt)->Int(0)),
                      static_cast<uint64_t>((*stmt)->Int(1)),
                      static_cast<uint64_t>((*stmt)->Int(2))};
  }

  Result<std::unordered_set<std::string>> ReferencedBlobIds() override {
    KURA_TRY(db_->Exec("BEGIN"));  // one snapshot for both reads
    auto ids = ReadReferences();
    (void)db_->Exec("COMMIT");
    return ids;
  }

 private:
  Result<std::unordered_set<std::string>> ReadReferences() {
    std::unordered_set<std::string> ids;
    auto files = db_->Prepare(kFileBlobIds);
    if (!files) return files.error();
    auto file_rows = ReadAll<std::string>(**files, [](const Statement& row) -> Result<std::string> {
      return std::string(row.Text(0));
    });
    if (!file_rows) return file_rows.error();
    ids.insert(file_rows->begin(), file_rows->end());
    auto parts = db_->Prepare(kPartsBlobs);
    if (!parts) return parts.error();
    auto part_rows = ReadAll<std::vector<BlobRef::Part>>(
        **parts, [](const Statement& row) -> Result<std::vector<BlobRef::Part>> {
          auto decoded = DecodeParts(row.Blob(0));
          if (!decoded) return Corrupt("blob_parts");
          return std::move(*decoded);
        });
    if (!part_rows) return part_rows.error();
    for (auto& list : *part_rows) {
      for (auto& part : list) ids.insert(std::move(part.id));
    }
    return ids;
  }

  std::unique_ptr<Db> db_;
  std::string versions_after_;
  std::string version_at_;
};

}  // namespace

Result<std::unique_ptr<VersionScan>> OpenVersionScan(const std::filesystem::path& db_file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db_file, ec)) {
    return MakeError(ErrorCode::kInternalError, "no metadata database at " + db_file.string());
  }
  auto db = Db::OpenReadOnly(db_file);
  if (!db) return db.error();
  auto version = ReadInt(**db, "SELECT max(version) FROM schema_version");
  if (!version) return version.error();
  if (*version < kOldestScannableSchema || *version > LatestSchemaVersion()) {
    return MakeError(ErrorCode::kInternalError,
                     "metadata schema version " + std::to_string(*version) +
                         " cannot be scrubbed by this kura (it reads versions " +
                         std::to_string(kOldestScannableSchema) + " to " +
                         std::to_string(LatestSchemaVersion()) + "; start kura serve once)");
  }
  auto has_crc =
      ReadInt(**db, "SELECT count(*) FROM pragma_table_info('inline_blobs') WHERE name = 'crc32c'");
  if (!has_crc) return has_crc.error();
  return std::unique_ptr<VersionScan>(new SqliteVersionScan(std::move(db).value(), *has_crc > 0));
}

}  // namespace kura::store::sqlite
