// Multipart uploads in SQLite: the `uploads` and `parts` tables of migration 2, read and written
// by SqliteMetadataStore. Reads run on a reader connection, the *Tx functions on the writer
// inside the batch transaction (see sqlite_writes.cc).
// Thread-safety: as Db (one thread per connection).
#pragma once

#include <string>
#include <vector>

#include "store/records.h"
#include "store/sqlite/db.h"

namespace kura::store::sqlite {

// nullopt when there is no such upload.
Result<std::optional<UploadRecord>> FindUpload(Db& db, std::string_view upload_id);
Result<std::vector<PartRecord>> ReadParts(Db& db, std::string_view upload_id, int after_part,
                                          int limit);
Result<std::vector<UploadRecord>> ReadUploads(Db& db, const UploadQuery& query);

Result<void> CreateUploadTx(Db& db, const UploadRecord& upload);
Result<std::optional<BlobRef>> PutPartTx(Db& db, const std::string& upload_id,
                                         const PartRecord& part);
// Removes the upload and its parts; returns the parts' blobs.
Result<std::vector<BlobRef>> DropUploadTx(Db& db, const std::string& upload_id);
// Removes every upload of the bucket; returns the parts' blobs.
Result<std::vector<BlobRef>> DropBucketUploadsTx(Db& db, const std::string& bucket);
// Checks that every part named is present with the blob id given; returns the unused parts.
Result<std::vector<BlobRef>> TakeUnusedPartsTx(Db& db, const CompletedUpload& completed);

}  // namespace kura::store::sqlite
