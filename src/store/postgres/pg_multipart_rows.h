// Multipart uploads in PostgreSQL: the `uploads` and `parts` tables, as in the SQLite store
// (its multipart_rows.h). Reads run on a read connection; the *Tx functions inside a write
// transaction, where FindUpload with `lock` takes the upload row FOR UPDATE so that a PutPart,
// Complete and Abort of one upload run one after the other.
// Thread-safety: as PgConnection (one thread).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.h"
#include "store/records.h"

namespace kura::store::postgres {

// nullopt when there is no such upload.
Result<std::optional<UploadRecord>> FindUpload(PgConnection& conn, std::string_view upload_id,
                                               bool lock = false);
Result<std::vector<PartRecord>> ReadParts(PgConnection& conn, std::string_view upload_id,
                                          int after_part, int limit);
Result<std::vector<UploadRecord>> ReadUploads(PgConnection& conn, const UploadQuery& query);

// kNoSuchBucket unless the bucket exists (its row stays locked FOR SHARE).
Result<void> CreateUploadTx(PgConnection& conn, const UploadRecord& upload);
Result<std::optional<BlobRef>> PutPartTx(PgConnection& conn, const std::string& upload_id,
                                         const PartRecord& part);
// Removes the upload and its parts; returns the parts' blobs.
Result<std::vector<BlobRef>> DropUploadTx(PgConnection& conn, const std::string& upload_id);
// Removes every upload of the bucket; returns the parts' blobs.
Result<std::vector<BlobRef>> DropBucketUploadsTx(PgConnection& conn, const std::string& bucket);
// Checks that every part named is present with the blob id given; returns the unused parts.
Result<std::vector<BlobRef>> TakeUnusedPartsTx(PgConnection& conn,
                                               const CompletedUpload& completed);

}  // namespace kura::store::postgres
