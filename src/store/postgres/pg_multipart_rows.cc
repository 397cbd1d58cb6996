#include "store/postgres/pg_multipart_rows.h"

#include <algorithm>

#include "store/postgres/pg_row_codec.h"
#include "store/postgres/pg_sql.h"
#include "store/upload_completion.h"

namespace kura::store::postgres {

Result<std::optional<UploadRecord>> FindUpload(PgConnection& conn, std::string_view upload_id,
                                               bool lock) {
  auto result = conn.Exec(lock ? sql::kGetUploadForUpdate : sql::kGetUpload,
                          PgParams().Bytes(upload_id));
  if (!result) return result.error();
  if (result->rows() == 0) return std::optional<UploadRecord>();
  auto upload = ReadUploadRow(result->row(0));
  if (!upload) return upload.error();
  return std::optional<UploadRecord>(std::move(upload).value());
}

Result<std::vector<PartRecord>> ReadParts(PgConnection& conn, std::string_view upload_id,
                                          int after_part, int limit) {
  auto result =
      conn.Exec(sql::kListParts, PgParams().Bytes(upload_id).Int(after_part).Int(limit));
  if (!result) return result.error();
  std::vector<PartRecord> parts;
  for (int i = 0; i < result->rows(); ++i) parts.push_back(ReadPartRow(result->row(i)));
  return parts;
}

Result<std::vector<UploadRecord>> ReadUploads(PgConnection& conn, const UploadQuery& query) {
  PgParams params;
  params.Bytes(query.bucket).Bytes(std::max(query.key_marker, query.prefix));
  params.Int(std::max(query.limit, 0)).Bytes(query.key_marker).Bytes(query.upload_id_marker);
  auto result = conn.Exec(sql::kSeekUploads, params);
  if (!result) return result.error();
  std::vector<UploadRecord> uploads;
  for (int i = 0; i < result->rows(); ++i) {
    PgRow row = result->row(i);
    if (!row.Bytes(2).starts_with(query.prefix)) break;  // sorted: past the prefix range
    auto upload = ReadUploadRow(row);
    if (!upload) return upload.error();
    uploads.push_back(std::move(upload).value());
  }
  return uploads;
}

Result<void> CreateUploadTx(PgConnection& conn, const UploadRecord& upload) {
  auto bucket = conn.Exec(sql::kLockBucketShared, PgParams().Bytes(upload.object.bucket));
  if (!bucket) return bucket.error();
  if (bucket->rows() == 0) return ErrorCode::kNoSuchBucket;
  PgParams params;
  params.Bytes(upload.upload_id).Bytes(upload.object.bucket).Bytes(upload.object.key);
  params.Int(sqlite::ToNanos(upload.initiated)).Bytes(sqlite::EncodeObjectTemplate(upload.object));
  KURA_TRY(conn.Exec(sql::kInsertUpload, params));
  return Ok();
}

Result<std::optional<BlobRef>> PutPartTx(PgConnection& conn, const std::string& upload_id,
                                         const PartRecord& part) {
  auto upload = FindUpload(conn, upload_id, /*lock=*/true);
  if (!upload) return upload.error();
  if (!*upload) return ErrorCode::kNoSuchUpload;
  auto old = conn.Exec(sql::kGetPartBlob, PgParams().Bytes(upload_id).Int(part.part_number));
  if (!old) return old.error();
  std::optional<BlobRef> replaced;
  if (old->rows() > 0) {
    PgRow row = old->row(0);
    replaced = PartBlob(std::string(row.Bytes(0)), static_cast<uint64_t>(row.Int(1)));
  }
  PgParams params;
  params.Bytes(upload_id).Int(part.part_number).Int(static_cast<int64_t>(part.size));
  params.Bytes(part.etag).Int(sqlite::ToNanos(part.last_modified)).Bytes(part.checksum_value);
  params.Bytes(part.blob.id);
  KURA_TRY(conn.Exec(sql::kUpsertPart, params));
  return replaced;
}

Result<std::vector<BlobRef>> DropUploadTx(PgConnection& conn, const std::string& upload_id) {
  auto parts = ReadParts(conn, upload_id, 0, 1 << 30);
  if (!parts) return parts.error();
  std::vector<BlobRef> blobs;
  for (auto& part : *parts) blobs.push_back(std::move(part.blob));
  KURA_TRY(conn.Exec(sql::kDeleteParts, PgParams().Bytes(upload_id)));
  KURA_TRY(conn.Exec(sql::kDeleteUpload, PgParams().Bytes(upload_id)));
  return blobs;
}

Result<std::vector<BlobRef>> DropBucketUploadsTx(PgConnection& conn, const std::string& bucket) {
  auto ids = conn.Exec(sql::kUploadIdsOfBucket, PgParams().Bytes(bucket));
  if (!ids) return ids.error();
  std::vector<BlobRef> blobs;
  for (int i = 0; i < ids->rows(); ++i) {
    auto dropped = DropUploadTx(conn, std::string(ids->row(i).Bytes(0)));
    if (!dropped) return dropped.error();
    for (auto& blob : *dropped) blobs.push_back(std::move(blob));
  }
  return blobs;
}

Result<std::vector<BlobRef>> TakeUnusedPartsTx(PgConnection& conn,
                                               const CompletedUpload& completed) {
  auto stored = ReadParts(conn, completed.upload_id, 0, 1 << 30);
  if (!stored) return stored.error();
  return UnusedParts(std::move(stored).value(), completed);
}

}  // namespace kura::store::postgres
