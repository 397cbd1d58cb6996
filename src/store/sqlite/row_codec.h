// How records map to SQLite rows: list-valued fields (headers, metadata, tags, blob parts) are
// packed into BLOBs with a length-prefixed encoding (docs/formats/data-dir.md, "Packed lists");
// times are nanoseconds since the Unix epoch.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "store/records.h"
#include "store/sqlite/db.h"

namespace kura::store::sqlite {

std::string EncodePairs(const Pairs& pairs);
std::optional<Pairs> DecodePairs(std::string_view bytes);
std::string EncodeParts(const std::vector<BlobRef::Part>& parts);
std::optional<std::vector<BlobRef::Part>> DecodeParts(std::string_view bytes);
// A whole ObjectRecord (for an upload's fixed fields), without its blob.
std::string EncodeObjectTemplate(const ObjectRecord& object);
std::optional<ObjectRecord> DecodeObjectTemplate(std::string_view bytes);

// A bucket's Block Public Access settings as one INTEGER column.
int64_t EncodePublicAccessBlock(const PublicAccessBlock& block);
PublicAccessBlock DecodePublicAccessBlock(int64_t bits);

int64_t ToNanos(TimePoint t);
TimePoint FromNanos(int64_t ns);

// The object columns, in this order, after "key" (listing) — the SELECT lists in
// sqlite_metadata_store.cc use exactly this order.
#define KURA_OBJECT_COLUMNS                                                               \
  "key, size, etag, last_modified_ns, content_type, headers, user_metadata, "             \
  "checksum_algorithm, checksum_value, checksum_type, tags, storage_class, parts_count, " \
  "blob_kind, blob_id, blob_parts, version_id, seq, delete_marker, retention_mode, "       \
  "retain_until_ns, legal_hold, acl, encryption"

// Every column of `objects` and `object_versions`, in table order.
#define KURA_OBJECT_ROW_COLUMNS                                                              \
  "bucket, key, size, etag, last_modified_ns, content_type, headers, user_metadata, "        \
  "checksum_algorithm, checksum_value, checksum_type, tags, storage_class, parts_count, "    \
  "blob_kind, blob_id, blob_parts, inline_id, version_id, seq, delete_marker, "              \
  "retention_mode, retain_until_ns, legal_hold, acl, encryption"

// The sequence among KURA_OBJECT_COLUMNS.
inline constexpr int kObjectSequenceColumn = 17;
// The column after KURA_OBJECT_COLUMNS in the object queries (inline body or inline_id).
inline constexpr int kObjectExtraColumn = 24;

// Reads KURA_OBJECT_COLUMNS starting at column 0 (the inline body is not among them);
// is_latest is left true.
Result<ObjectRecord> ReadObjectRow(const Statement& row, std::string_view bucket);
// The CRC32C stored with an inline body (inline_blobs.crc32c, schema 9).
int64_t InlineCrc(std::string_view body);
// Loads the inline body at `column` (with its CRC32C, -1 for none, at column + 1) into `blob`,
// checking the CRC: kCorruptData (counted and logged, naming the object) when it fails.
Result<void> ReadInlineBody(const Statement& row, int column, std::string_view bucket,
                            std::string_view key, BlobRef& blob);

// Binds KURA_OBJECT_ROW_COLUMNS as ?1…?26, ?18 being `inline_id` (the inline_blobs row holding
// the body, 0 for none) and ?20 `seq`; the inline bytes are not bound here.
void BindObjectRow(Statement& stmt, const ObjectRecord& object, int64_t inline_id,
                   int64_t sequence = 0);

// Bucket rows: columns name, region, owner_id, created_ns, policy_json, tags, cors_xml,
// versioning, object_lock, default_retention_mode, _days, _years, lifecycle_xml,
// object_ownership, acl, public_access_block, encryption, owner_account (read from column 0;
// bound as ?1…?18).
Result<BucketRecord> ReadBucketRow(const Statement& row);
// The versioning and Object Lock columns of kGetBucketProtection (from column `first`).
Result<void> ReadProtectionColumns(const Statement& row, int first, BucketRecord& b);
Result<BucketRecord> ReadBucketProtection(const Statement& row);
void BindBucketRow(Statement& stmt, const BucketRecord& bucket);

}  // namespace kura::store::sqlite
