// Helpers for the store tests: a temporary directory, blocking wrappers around the asynchronous
// writes, and record builders.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/blob_store.h"
#include "store/metadata_store.h"
#include "store/store.h"
#include "store/wait.h"

namespace kura::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kura-store-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline BucketRecord Bucket(std::string name, std::string owner = "owner-1") {
  BucketRecord b;
  b.name = std::move(name);
  b.region = "us-east-1";
  b.owner_id = std::move(owner);
  b.created = FromUnixSeconds(1700000000);
  return b;
}

inline ObjectRecord Object(std::string bucket, std::string key, std::string data = "hello") {
  ObjectRecord o;
  o.bucket = std::move(bucket);
  o.key = std::move(key);
  o.size = data.size();
  o.etag = "etag-" + o.key;
  o.last_modified = FromUnixSeconds(1700000100);
  o.content_type = "text/plain";
  o.blob.kind = BlobRef::Kind::kInline;
  o.blob.size = data.size();
  o.blob.inline_data = std::move(data);
  return o;
}

inline Result<void> CreateBucketSync(MetadataStore& m, BucketRecord b) {
  return WaitFor<void>([&](Callback<void> cb) { m.CreateBucket(std::move(b), std::move(cb)); });
}
inline Result<std::vector<BlobRef>> DeleteBucketSync(MetadataStore& m, std::string name) {
  return WaitFor<std::vector<BlobRef>>(
      [&](Callback<std::vector<BlobRef>> cb) { m.DeleteBucket(std::move(name), std::move(cb)); });
}
inline Result<void> CreateUploadSync(MetadataStore& m, UploadRecord upload) {
  return WaitFor<void>([&](Callback<void> cb) { m.CreateUpload(std::move(upload), std::move(cb)); });
}
inline Result<std::optional<BlobRef>> PutPartSync(MetadataStore& m, std::string upload_id,
                                                  PartRecord part) {
  return WaitFor<std::optional<BlobRef>>([&](Callback<std::optional<BlobRef>> cb) {
    m.PutPart(std::move(upload_id), std::move(part), std::move(cb));
  });
}
inline Result<std::vector<BlobRef>> CompleteUploadSync(MetadataStore& m, CompletedUpload c) {
  return WaitFor<std::vector<BlobRef>>(
      [&](Callback<std::vector<BlobRef>> cb) { m.CompleteUpload(std::move(c), std::move(cb)); });
}
inline Result<std::vector<BlobRef>> AbortUploadSync(MetadataStore& m, std::string bucket,
                                                    std::string key, std::string upload_id) {
  return WaitFor<std::vector<BlobRef>>([&](Callback<std::vector<BlobRef>> cb) {
    m.AbortUpload(std::move(bucket), std::move(key), std::move(upload_id), std::move(cb));
  });
}
inline Result<std::optional<BlobRef>> PutSync(MetadataStore& m, ObjectRecord o,
                                              WritePrecondition p = {}) {
  return WaitFor<std::optional<BlobRef>>([&](Callback<std::optional<BlobRef>> cb) {
    m.PutObject(std::move(o), std::move(p), std::move(cb));
  });
}
inline Result<std::optional<BlobRef>> DeleteSync(MetadataStore& m, std::string bucket,
                                                 std::string key) {
  return WaitFor<std::optional<BlobRef>>([&](Callback<std::optional<BlobRef>> cb) {
    m.DeleteObject(std::move(bucket), std::move(key), std::move(cb));
  });
}
inline Result<void> PutDocumentsSync(MetadataStore& m, std::vector<DocumentWrite> writes) {
  return WaitFor<void>(
      [&](Callback<void> cb) { m.PutDocuments(std::move(writes), std::move(cb)); });
}

inline Result<bool> PutDocumentIfSync(MetadataStore& m, DocumentWrite write,
                                      std::optional<std::string> expected) {
  return WaitFor<bool>([&](Callback<bool> cb) {
    m.PutDocumentIf(std::move(write), std::move(expected), std::move(cb));
  });
}

inline Result<PutOutcome> PutVersionSync(MetadataStore& m, ObjectRecord o, LockContext lock = {},
                                        WritePrecondition p = {}) {
  return WaitFor<PutOutcome>([&](Callback<PutOutcome> cb) {
    m.PutObject(std::move(o), std::move(p), lock, std::move(cb));
  });
}
inline Result<DeleteOutcome> DeleteVersionSync(MetadataStore& m, DeleteRequest request) {
  return WaitFor<DeleteOutcome>(
      [&](Callback<DeleteOutcome> cb) { m.DeleteObject(std::move(request), std::move(cb)); });
}
inline Result<void> UpdateBucketSync(MetadataStore& m, std::string name,
                                     std::function<Result<void>(BucketRecord&)> mutate) {
  return WaitFor<void>([&](Callback<void> cb) {
    m.UpdateBucket(std::move(name), std::move(mutate), std::move(cb));
  });
}
inline Result<void> SetVersioningSync(MetadataStore& m, std::string name, VersioningState state) {
  return UpdateBucketSync(m, std::move(name), [state](BucketRecord& b) -> Result<void> {
    b.versioning = state;
    return Ok();
  });
}
inline Result<void> UpdateVersionSync(MetadataStore& m, std::string bucket, std::string key,
                                      std::optional<std::string> version_id, LockContext lock,
                                      std::function<Result<void>(ObjectRecord&)> mutate) {
  return WaitFor<void>([&](Callback<void> cb) {
    m.UpdateObject(std::move(bucket), std::move(key), std::move(version_id), lock,
                   std::move(mutate), std::move(cb));
  });
}
// `Object(bucket, key, data)` as version `version_id`.
inline ObjectRecord Version(std::string bucket, std::string key, std::string version_id,
                            std::string data = "hello") {
  ObjectRecord o = Object(std::move(bucket), std::move(key), std::move(data));
  o.version_id = std::move(version_id);
  o.etag = "etag-" + o.version_id;
  return o;
}

// How many orphan blobs RemoveOrphanBlobs took, or -1 when it failed.
inline int SweptOrphans(Store& store) {
  auto removed = RemoveOrphanBlobs(store);
  return removed ? *removed : -1;
}

// Writes `data` through a fresh writer and seals it.
inline Result<BlobRef> WriteBlob(BlobStore& blobs, std::string_view data,
                                 Placement placement = Placement::kInlineIfSmall,
                                 size_t chunk = 7000) {
  auto writer = blobs.NewWriterFor(placement);
  for (size_t at = 0; at < data.size(); at += chunk) {
    KURA_TRY(writer->Append(data.substr(at, chunk)));
  }
  return writer->Seal();
}

// Reads a whole blob back, in odd-sized pieces.
inline Result<std::string> ReadBlob(BlobStore& blobs, const BlobRef& ref) {
  auto reader = blobs.Open(ref);
  if (!reader) return reader.error();
  std::string out;
  char buffer[5000];
  while (true) {
    auto n = (*reader)->ReadAt(out.size(), buffer);
    if (!n) return n.error();
    if (*n == 0) return out;
    out.append(buffer, *n);
  }
}

inline std::string Pattern(size_t n, char seed = 'a') {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + (i * 7 + i / 251) % 26);
  return s;
}

}  // namespace kura::store::testing
