#include "store/sqlite/multipart_rows.h"

#include "store/sqlite/row_codec.h"
#include "store/sqlite/sql_queries.h"
#include "store/upload_completion.h"

namespace kura::store::sqlite {
namespace {

// Columns upload_id, bucket, key, initiated_ns, object.
Result<UploadRecord> ReadUploadRow(const Statement& row) {
  auto object = DecodeObjectTemplate(row.Blob(4));
  if (!object) return MakeError(ErrorCode::kInternalError, "corrupt upload record");
  UploadRecord upload;
  upload.upload_id = row.Text(0);
  upload.object = std::move(*object);
  upload.object.bucket = row.Text(1);
  upload.object.key = row.Text(2);
  upload.initiated = FromNanos(row.Int(3));
  return upload;
}

}  // namespace

Result<std::optional<UploadRecord>> FindUpload(Db& db, std::string_view upload_id) {
  auto stmt = db.Prepare(sql::kGetUpload);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, upload_id);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<UploadRecord>();
  auto upload = ReadUploadRow(**stmt);
  if (!upload) return upload.error();
  return std::optional<UploadRecord>(std::move(*upload));
}

Result<std::vector<PartRecord>> ReadParts(Db& db, std::string_view upload_id, int after_part,
                                          int limit) {
  auto stmt = db.Prepare(sql::kListParts);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, upload_id).Bind(2, int64_t{after_part}).Bind(3, int64_t{limit});
  std::vector<PartRecord> parts;
  while (true) {
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    if (!*row) return parts;
    PartRecord part;
    part.part_number = static_cast<int>((*stmt)->Int(0));
    part.size = static_cast<uint64_t>((*stmt)->Int(1));
    part.etag = (*stmt)->Text(2);
    part.last_modified = FromNanos((*stmt)->Int(3));
    part.checksum_value = (*stmt)->Text(4);
    part.blob = PartBlob(std::string((*stmt)->Text(5)), part.size);
    parts.push_back(std::move(part));
  }
}

Result<std::vector<UploadRecord>> ReadUploads(Db& db, const UploadQuery& query) {
  auto stmt = db.Prepare(sql::kSeekUploads);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, query.bucket).Bind(2, std::max(query.key_marker, query.prefix));
  std::vector<UploadRecord> uploads;
  while (static_cast<int>(uploads.size()) < query.limit) {
    auto row = (*stmt)->Step();
    if (!row) return row.error();
    if (!*row) break;
    std::string_view key = (*stmt)->Text(2);
    if (!key.starts_with(query.prefix)) break;  // sorted: past the prefix range
    if (key == query.key_marker &&
        (query.upload_id_marker.empty() || (*stmt)->Text(0) <= query.upload_id_marker)) {
      continue;
    }
    auto upload = ReadUploadRow(**stmt);
    if (!upload) return upload.error();
    uploads.push_back(std::move(*upload));
  }
  return uploads;
}

Result<void> CreateUploadTx(Db& db, const UploadRecord& upload) {
  auto bucket = db.Prepare(sql::kBucketExists);
  if (!bucket) return bucket.error();
  (*bucket)->Bind(1, upload.object.bucket);
  auto exists = (*bucket)->Step();
  if (!exists) return exists.error();
  if (!*exists) return ErrorCode::kNoSuchBucket;
  auto stmt = db.Prepare(sql::kInsertUpload);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, upload.upload_id).Bind(2, upload.object.bucket).Bind(3, upload.object.key);
  (*stmt)->Bind(4, ToNanos(upload.initiated)).BindBlob(5, EncodeObjectTemplate(upload.object));
  return (*stmt)->Run();
}

Result<std::optional<BlobRef>> PutPartTx(Db& db, const std::string& upload_id,
                                         const PartRecord& part) {
  auto upload = FindUpload(db, upload_id);
  if (!upload) return upload.error();
  if (!*upload) return ErrorCode::kNoSuchUpload;
  std::optional<BlobRef> replaced;
  {
    auto old = db.Prepare(sql::kGetPartBlob);
    if (!old) return old.error();
    (*old)->Bind(1, upload_id).Bind(2, int64_t{part.part_number});
    auto row = (*old)->Step();
    if (!row) return row.error();
    if (*row) replaced = PartBlob(std::string((*old)->Text(0)), static_cast<uint64_t>((*old)->Int(1)));
  }
  auto stmt = db.Prepare(sql::kReplacePart);
  if (!stmt) return stmt.error();
  (*stmt)->Bind(1, upload_id).Bind(2, int64_t{part.part_number}).Bind(3, static_cast<int64_t>(part.size));
  (*stmt)->Bind(4, part.etag).Bind(5, ToNanos(part.last_modified)).Bind(6, part.checksum_value);
  (*stmt)->Bind(7, part.blob.id);
  KURA_TRY((*stmt)->Run());
  return replaced;
}

Result<std::vector<BlobRef>> DropUploadTx(Db& db, const std::string& upload_id) {
  auto parts = ReadParts(db, upload_id, 0, 1 << 30);
  if (!parts) return parts.error();
  std::vector<BlobRef> blobs;
  for (auto& part : *parts) blobs.push_back(std::move(part.blob));
  for (const char* query : {sql::kDeleteParts, sql::kDeleteUpload}) {
    auto stmt = db.Prepare(query);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, upload_id);
    KURA_TRY((*stmt)->Run());
  }
  return blobs;
}

Result<std::vector<BlobRef>> DropBucketUploadsTx(Db& db, const std::string& bucket) {
  std::vector<std::string> ids;
  {
    auto stmt = db.Prepare(sql::kUploadIdsOfBucket);
    if (!stmt) return stmt.error();
    (*stmt)->Bind(1, bucket);
    while (true) {
      auto row = (*stmt)->Step();
      if (!row) return row.error();
      if (!*row) break;
      ids.emplace_back((*stmt)->Text(0));
    }
  }
  std::vector<BlobRef> blobs;
  for (const auto& id : ids) {
    auto dropped = DropUploadTx(db, id);
    if (!dropped) return dropped.error();
    for (auto& blob : *dropped) blobs.push_back(std::move(blob));
  }
  return blobs;
}

Result<std::vector<BlobRef>> TakeUnusedPartsTx(Db& db, const CompletedUpload& completed) {
  auto stored = ReadParts(db, completed.upload_id, 0, 1 << 30);
  if (!stored) return stored.error();
  return UnusedParts(std::move(stored).value(), completed);
}

}  // namespace kura::store::sqlite
