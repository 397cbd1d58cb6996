// The records kura's store keeps: buckets, objects (metadata plus a reference to their bytes),
// multipart uploads and their parts, and generic documents for other modules. Plain values; the
// store interfaces (metadata_store.h, blob_store.h) state who may read and write them.
// The on-disk form is documented in docs/formats/data-dir.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace kura::store {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Objects of at most this many bytes are stored inline in their metadata row, so that many
// concurrent small PUTs share one commit (one fsync) and a small GET is one query.
inline constexpr uint64_t kInlineThreshold = 64 * 1024;

// Where an object's (or a part's) bytes are.
struct BlobRef {
  enum class Kind { kInline = 0, kFile = 1, kParts = 2 };
  struct Part {
    std::string id{};  // a kFile blob id
    uint64_t size = 0;
    friend bool operator==(const Part&, const Part&) = default;
  };

  Kind kind = Kind::kInline;
  std::string id{};           // kFile: the blob file's random id (never derived from the key)
  uint64_t size = 0;          // total bytes
  std::string inline_data{};  // kInline: the bytes themselves (empty in listings)
  std::vector<Part> parts{};  // kParts: file blobs concatenated in order (completed multipart)

  friend bool operator==(const BlobRef&, const BlobRef&) = default;
};

// S3 versioning (https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html): a bucket
// starts unversioned and, once Enabled, can only be Suspended again, never unversioned.
enum class VersioningState { kUnversioned = 0, kEnabled = 1, kSuspended = 2 };

// The version id of the version a write gets while versioning is not Enabled.
inline constexpr std::string_view kNullVersionId = "null";

// Object Lock retention modes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
enum class RetentionMode { kNone = 0, kGovernance = 1, kCompliance = 2 };

// A bucket's default retention: applied to new versions that set none themselves.
struct DefaultRetention {
  RetentionMode mode = RetentionMode::kNone;
  int days = 0;   // exactly one of days and years is > 0 when mode is set
  int years = 0;

  friend bool operator==(const DefaultRetention&, const DefaultRetention&) = default;
};

// S3 Object Ownership (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
// kBucketOwnerEnforced is what new buckets get (ACLs disabled); kNone is a bucket whose ownership
// controls were deleted, which S3 treats as ObjectWriter.
enum class ObjectOwnership {
  kBucketOwnerEnforced = 0,
  kBucketOwnerPreferred = 1,
  kObjectWriter = 2,
  kNone = 3,
};

// A bucket's S3 Block Public Access settings
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
struct PublicAccessBlock {
  bool configured = false;  // false: none set, GetPublicAccessBlock answers NoSuch…
  bool block_public_acls = false;
  bool ignore_public_acls = false;
  bool block_public_policy = false;
  bool restrict_public_buckets = false;

  friend bool operator==(const PublicAccessBlock&, const PublicAccessBlock&) = default;
};

// One version of an object (on an unversioned bucket: its only version, "null").
struct ObjectRecord {
  std::string bucket{};
  std::string key{};
  uint64_t size = 0;
  std::string etag{};  // without quotes, e.g. "9e10…" or "9e10…-3" for multipart
  TimePoint last_modified{};
  std::string content_type{};
  // Content-Encoding, Content-Disposition, Content-Language, Cache-Control, Expires,
  // x-amz-website-redirect-location…: names and values verbatim, in the order given.
  Pairs headers{};
  Pairs user_metadata{};             // x-amz-meta-*: names lower-cased, without the prefix
  std::string checksum_algorithm{};  // "CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME" or ""
  std::string checksum_value{};      // base64, as S3 returns it
  std::string checksum_type{};       // "FULL_OBJECT", "COMPOSITE" or ""
  Pairs tags{};
  std::string storage_class{};  // "" means STANDARD
  int parts_count = 0;          // > 0 for multipart objects
  BlobRef blob{};

  // Versioning. Writes: the id a new version gets if the bucket is Enabled (random, opaque,
  // supplied by the caller); while it is not, the store stores kNullVersionId whatever is given.
  std::string version_id = std::string(kNullVersionId);
  bool is_delete_marker = false;  // a delete marker: no bytes, no metadata worth reading
  bool is_latest = true;          // reads: whether this is the key's current version

  // Object Lock. retain_until matters only when retention_mode is set.
  RetentionMode retention_mode = RetentionMode::kNone;
  TimePoint retain_until{};
  bool legal_hold = false;

  // The version's access control list as s3/access_control_list.h encodes it (its owner and
  // grants); "" = the bucket owner owns it with FULL_CONTROL, the only ACL a bucket with
  // ownership enforced has. Opaque to the store.
  std::string acl{};

  // The version's server-side encryption as s3/object_encryption.h encodes it (mode, KMS key and
  // context, bucket key, what checks a later SSE-C key); "" = stored in plaintext. The data keys
  // are not here: each blob carries its own, sealed, in its header (crypt/encrypted_blob.h), and
  // blob sizes stay plaintext sizes. Opaque to the store.
  std::string encryption{};

  friend bool operator==(const ObjectRecord&, const ObjectRecord&) = default;
};

struct BucketRecord {
  std::string name{};
  std::string region{};
  std::string owner_id{};  // the owner's canonical user id
  // The owner's account id (#15); "" for buckets made before accounts: the management account.
  std::string owner_account{};
  TimePoint created{};
  std::string policy_json{};  // "" = no policy
  Pairs tags{};
  std::string cors_xml{};  // "" = no CORS configuration
  VersioningState versioning = VersioningState::kUnversioned;
  // Object Lock: once true, stays true, and versioning stays Enabled.
  bool object_lock_enabled = false;
  DefaultRetention default_retention{};
  // The PutBucketLifecycleConfiguration document as kura re-serialized it; "" = none.
  std::string lifecycle_xml{};
  // Access control: who owns objects written to the bucket, the bucket's ACL (encoded as
  // ObjectRecord::acl; "" = the owner's FULL_CONTROL) and its Block Public Access settings.
  ObjectOwnership object_ownership = ObjectOwnership::kBucketOwnerEnforced;
  std::string acl{};
  PublicAccessBlock public_access_block{};
  // The bucket's default encryption (PutBucketEncryption), encoded as ObjectRecord::encryption
  // (mode, KMS key id as configured, bucket key); "" = none set. Opaque to the store.
  std::string encryption{};

  friend bool operator==(const BucketRecord&, const BucketRecord&) = default;
};

// One page of ListObjects / ListObjectsV2. Keys are compared as UTF-8 bytes (memcmp).
struct ListQuery {
  std::string bucket{};
  std::string prefix{};
  std::string delimiter{};  // "" = no grouping
  // Exclusive lower bound: a key or a common prefix returned by an earlier page (the V1 marker,
  // V2 start-after, or a decoded V2 continuation token). Keys and common prefixes <= it are
  // skipped, so passing a common prefix skips every key under it.
  std::string start_after{};
  int max_keys = 1000;
};

struct ListPage {
  std::vector<ObjectRecord> objects{};  // blob.inline_data is left empty
  std::vector<std::string> common_prefixes{};
  bool is_truncated = false;
  // When truncated: the last key or common prefix returned; pass it as start_after to continue.
  std::string next_marker{};
};

// S3 conditional writes (If-None-Match: * and If-Match: "etag") checked inside the transaction.
struct WritePrecondition {
  bool if_none_match_any = false;  // fail with kPreconditionFailed if the key exists
  // Fail with kPreconditionFailed unless the current ETag equals it ("*" matches any), and
  // with kNoSuchKey if there is no current object.
  std::optional<std::string> if_match_etag{};
};

// One change to a generic document: value = nullopt deletes.
struct DocumentWrite {
  std::string kind{};
  std::string id{};
  std::optional<std::string> value{};
};

// A multipart upload in progress. `object` holds what CreateMultipartUpload fixed (bucket, key,
// content type, headers, metadata, tags, storage class, checksum algorithm/type).
struct UploadRecord {
  std::string upload_id{};
  TimePoint initiated{};
  ObjectRecord object{};
};

struct PartRecord {
  int part_number = 0;
  uint64_t size = 0;
  std::string etag{};
  TimePoint last_modified{};
  std::string checksum_value{};
  BlobRef blob{};  // kFile (parts are always files, so Complete can reference them)

  friend bool operator==(const PartRecord&, const PartRecord&) = default;
};

// One page of ListMultipartUploads, before delimiter grouping: uploads of `bucket` whose key
// starts with `prefix`, ordered by (key, upload id) — upload ids sort by initiation time —
// strictly after (key_marker, upload_id_marker) ("" upload_id_marker: after every upload of
// key_marker), at most `limit` of them.
struct UploadQuery {
  std::string bucket{};
  std::string prefix{};
  std::string key_marker{};
  std::string upload_id_marker{};
  int limit = 1000;
};

// What CompleteMultipartUpload commits: the object (blob = kParts of the chosen parts) and which
// parts it used, each with the blob id the caller read, so a part replaced meanwhile fails.
struct CompletedUpload {
  std::string upload_id{};
  ObjectRecord object{};
  std::vector<PartRecord> parts{};  // part_number and blob.id are checked
  WritePrecondition precondition{};
};

}  // namespace kura::store

namespace kura::store {

// Object Lock context of a write that may remove, overwrite or relax the lock of a version.
struct LockContext {
  TimePoint now{};  // retention whose retain_until is after it is in force
  // x-amz-bypass-governance-retention: true, with s3:BypassGovernanceRetention already checked.
  bool bypass_governance = false;
};

// What a versioned PutObject (or CompleteUpload) did.
struct PutOutcome {
  VersioningState versioning = VersioningState::kUnversioned;  // the bucket's, at the write
  std::string version_id{};                                    // the new version's id
  std::vector<BlobRef> unreferenced{};  // blobs the caller deletes after the callback
};

// S3 conditional deletes (If-Match, x-amz-if-match-last-modified-time, x-amz-if-match-size),
// checked in the transaction against the key's current version, as S3 evaluates them
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html). A mismatch
// fails with kPreconditionFailed; If-Match on a key without a current object (or whose current
// version is a delete marker) with kNoSuchKey; the time and size conditions hold on a missing key.
struct DeletePrecondition {
  std::optional<std::string> if_match_etag{};  // "*" matches any object
  std::optional<TimePoint> if_match_last_modified{};  // compared to the second, as S3 reports it
  std::optional<uint64_t> if_match_size{};

  bool empty() const { return !if_match_etag && !if_match_last_modified && !if_match_size; }
};

// DeleteObject. Without version_id: S3's delete of the key (a delete marker on a versioned
// bucket); with it: that version, permanently.
struct DeleteRequest {
  std::string bucket{};
  std::string key{};
  std::optional<std::string> version_id{};
  std::string marker_version_id{};  // the id of the delete marker if the bucket is Enabled
  LockContext lock{};               // lock.now is also the delete marker's last_modified
  DeletePrecondition precondition{};
};

struct DeleteOutcome {
  VersioningState versioning = VersioningState::kUnversioned;
  // The version deleted or the delete marker created; "" when nothing was there to delete.
  std::string version_id{};
  bool delete_marker = false;  // a delete marker was created, or the version deleted was one
  std::vector<BlobRef> unreferenced{};
};

// One page of ListObjectVersions: versions and delete markers by key, then newest first.
struct VersionListQuery {
  std::string bucket{};
  std::string prefix{};
  std::string delimiter{};
  // Position of the previous page's end: versions strictly after (key_marker, version_id_marker);
  // "" version_id_marker: after every version of key_marker. A version_id_marker that no longer
  // exists under key_marker fails with kInvalidArgument.
  std::string key_marker{};
  std::string version_id_marker{};
  int max_keys = 1000;
};

struct VersionListPage {
  std::vector<ObjectRecord> versions{};  // is_latest and is_delete_marker set; no inline bytes
  std::vector<std::string> common_prefixes{};
  bool is_truncated = false;
  std::string next_key_marker{};         // when truncated
  std::string next_version_id_marker{};  // when truncated ("" after a common prefix)
};

}  // namespace kura::store
