#include "store/memory/memory_metadata_store.h"

#include <algorithm>
#include <tuple>

#include "store/listing.h"
#include "store/preconditions.h"

namespace kura::store {
namespace {

// Over the current versions; `markers` says whether delete markers are visited.
class MapCursor final : public VersionCursor {
 public:
  using Objects = std::map<std::string, StoredVersion>;
  using Noncurrent = std::map<std::string, std::map<int64_t, StoredVersion, std::greater<>>>;
  MapCursor(const Objects& objects, const Noncurrent& noncurrent, bool markers)
      : objects_(objects), noncurrent_(noncurrent), markers_(markers) {}
  Result<bool> Seek(std::string_view from) override {
    it_ = objects_.lower_bound(std::string(from));
    return SkipMarkers();
  }
  Result<bool> Next() override {
    ++it_;
    return SkipMarkers();
  }
  std::string_view key() const override { return it_->first; }
  Result<ObjectRecord> Record() const override { return WithoutBody(it_->second); }
  int64_t sequence() const override { return it_->second.sequence; }
  Result<std::vector<ObjectRecord>> Older(std::string_view key, int64_t below,
                                          int limit) override {
    std::vector<ObjectRecord> older;
    auto versions = noncurrent_.find(std::string(key));
    if (versions == noncurrent_.end()) return older;
    for (auto v = versions->second.upper_bound(below);
         v != versions->second.end() && static_cast<int>(older.size()) < limit; ++v) {
      older.push_back(WithoutBody(v->second));
    }
    return older;
  }
  Result<std::optional<int64_t>> SequenceOf(std::string_view key,
                                            std::string_view version_id) override {
    if (auto current = objects_.find(std::string(key));
        current != objects_.end() && current->second.record.version_id == version_id) {
      return std::optional<int64_t>(current->second.sequence);
    }
    if (auto versions = noncurrent_.find(std::string(key)); versions != noncurrent_.end()) {
      for (const auto& [sequence, version] : versions->second) {
        if (version.record.version_id == version_id) return std::optional<int64_t>(sequence);
      }
    }
    return std::optional<int64_t>();
  }

 private:
  static ObjectRecord WithoutBody(const StoredVersion& version) {
    ObjectRecord record = version.record;
    record.blob.inline_data.clear();
    return record;
  }
  bool SkipMarkers() {
    while (!markers_ && it_ != objects_.end() && it_->second.record.is_delete_marker) ++it_;
    return it_ != objects_.end();
  }

  const Objects& objects_;
  const Noncurrent& noncurrent_;
  bool markers_;
  Objects::const_iterator it_;
};

}  // namespace

// The rows of one write, under mu_.
class MemoryMetadataStore::Rows final : public VersionRows {
 public:
  explicit Rows(MemoryMetadataStore& store) : store_(store) {}

  Result<std::optional<BucketRecord>> FindBucket(std::string_view name) override {
    Bucket* bucket = Find(name);
    return bucket ? std::optional<BucketRecord>(bucket->record) : std::nullopt;
  }
  Result<std::optional<StoredVersion>> FindCurrent(std::string_view name,
                                                   std::string_view key) override {
    Bucket* bucket = Find(name);
    if (!bucket) return std::optional<StoredVersion>();
    auto it = bucket->objects.find(std::string(key));
    if (it == bucket->objects.end()) return std::optional<StoredVersion>();
    return std::optional<StoredVersion>(it->second);
  }
  Result<std::optional<StoredVersion>> FindNoncurrent(std::string_view name, std::string_view key,
                                                      std::string_view version_id) override {
    Bucket* bucket = Find(name);
    if (!bucket) return std::optional<StoredVersion>();
    auto versions = bucket->noncurrent.find(std::string(key));
    if (versions == bucket->noncurrent.end()) return std::optional<StoredVersion>();
    for (const auto& [sequence, version] : versions->second) {
      if (version.record.version_id == version_id) return std::optional<StoredVersion>(version);
    }
    return std::optional<StoredVersion>();
  }
  Result<void> WriteCurrent(const ObjectRecord& object, int64_t sequence,
                            const StoredVersion*) override {
    StoredVersion version{object, sequence, 0};
    version.record.is_latest = true;
    Find(object.bucket)->objects.insert_or_assign(object.key, std::move(version));
    return Ok();
  }
  Result<void> Demote(const StoredVersion& current) override {
    Bucket* bucket = Find(current.record.bucket);
    auto it = bucket->objects.find(current.record.key);
    StoredVersion version = std::move(it->second);
    version.record.is_latest = false;
    bucket->objects.erase(it);
    bucket->noncurrent[current.record.key].insert_or_assign(version.sequence, std::move(version));
    return Ok();
  }
  Result<void> Remove(const StoredVersion& version) override {
    Bucket* bucket = Find(version.record.bucket);
    const std::string& key = version.record.key;
    if (version.record.is_latest) {
      bucket->objects.erase(key);
      return Ok();
    }
    auto versions = bucket->noncurrent.find(key);
    versions->second.erase(version.sequence);
    if (versions->second.empty()) bucket->noncurrent.erase(versions);
    return Ok();
  }
  Result<void> PromoteNewest(std::string_view name, std::string_view key) override {
    Bucket* bucket = Find(name);
    auto versions = bucket->noncurrent.find(std::string(key));
    if (versions == bucket->noncurrent.end()) return Ok();
    StoredVersion newest = std::move(versions->second.begin()->second);
    versions->second.erase(versions->second.begin());
    if (versions->second.empty()) bucket->noncurrent.erase(versions);
    newest.record.is_latest = true;
    bucket->objects.insert_or_assign(std::string(key), std::move(newest));
    return Ok();
  }
  Result<void> RewriteMeta(const StoredVersion& version, const ObjectRecord& object) override {
    Bucket* bucket = Find(version.record.bucket);
    StoredVersion* stored = version.record.is_latest
                                ? &bucket->objects.at(object.key)
                                : &bucket->noncurrent.at(object.key).at(version.sequence);
    BlobRef blob = std::move(stored->record.blob);  // keeps the inline bytes
    stored->record = object;
    stored->record.blob = std::move(blob);
    return Ok();
  }
  Result<int64_t> NextSequence() override { return ++store_.sequence_; }

 private:
  Bucket* Find(std::string_view name) {
    auto it = store_.buckets_.find(name);
    return it == store_.buckets_.end() ? nullptr : &it->second;
  }

  MemoryMetadataStore& store_;
};

Result<BucketRecord> MemoryMetadataStore::GetBucket(std::string_view name) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(name);
  if (it == buckets_.end()) return ErrorCode::kNoSuchBucket;
  return it->second.record;
}

Result<std::vector<BucketRecord>> MemoryMetadataStore::ListBuckets() {
  std::lock_guard lock(mu_);
  std::vector<BucketRecord> all;
  for (const auto& [name, bucket] : buckets_) all.push_back(bucket.record);
  return all;
}

Result<ObjectRecord> MemoryMetadataStore::ReadVersion(std::string_view bucket,
                                                      std::string_view key,
                                                      std::optional<std::string_view> version_id) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return ErrorCode::kNoSuchBucket;
  auto current = it->second.objects.find(std::string(key));
  bool has_current = current != it->second.objects.end();
  if (!version_id) {
    if (!has_current) return ErrorCode::kNoSuchKey;
    return current->second.record;
  }
  if (has_current && current->second.record.version_id == *version_id) {
    return current->second.record;
  }
  if (auto versions = it->second.noncurrent.find(std::string(key));
      versions != it->second.noncurrent.end()) {
    for (const auto& [sequence, version] : versions->second) {
      if (version.record.version_id == *version_id) return version.record;
    }
  }
  return ErrorCode::kNoSuchVersion;
}

Result<ObjectRecord> MemoryMetadataStore::GetObject(std::string_view bucket, std::string_view key,
                                                    std::optional<std::string_view> version_id) {
  return ReadVersion(bucket, key, version_id);
}

Result<ObjectRecord> MemoryMetadataStore::GetObjectMeta(
    std::string_view bucket, std::string_view key, std::optional<std::string_view> version_id) {
  auto object = ReadVersion(bucket, key, version_id);
  if (object) object->blob.inline_data.clear();
  return object;
}

Result<ListPage> MemoryMetadataStore::ListObjects(const ListQuery& query) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(query.bucket);
  if (it == buckets_.end()) return ErrorCode::kNoSuchBucket;
  MapCursor cursor(it->second.objects, it->second.noncurrent, /*markers=*/false);
  return ListPageFromCursor(query, cursor);
}

Result<VersionListPage> MemoryMetadataStore::ListObjectVersions(const VersionListQuery& query) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(query.bucket);
  if (it == buckets_.end()) return ErrorCode::kNoSuchBucket;
  MapCursor cursor(it->second.objects, it->second.noncurrent, /*markers=*/true);
  return VersionPageFromCursor(query, cursor);
}

Result<std::optional<std::string>> MemoryMetadataStore::GetDocument(std::string_view kind,
                                                                    std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = documents_.find({std::string(kind), std::string(id)});
  if (it == documents_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Result<std::vector<std::pair<std::string, std::string>>> MemoryMetadataStore::ListDocuments(
    std::string_view kind) {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::string, std::string>> all;
  for (auto it = documents_.lower_bound({std::string(kind), ""});
       it != documents_.end() && it->first.first == kind; ++it) {
    all.emplace_back(it->first.second, it->second);
  }
  return all;
}

void MemoryMetadataStore::CreateBucket(BucketRecord bucket, Callback<void> done) {
  Result<void> result;
  {
    std::lock_guard lock(mu_);
    auto it = buckets_.find(bucket.name);
    if (it != buckets_.end()) {
      result = it->second.record.owner_id == bucket.owner_id ? ErrorCode::kBucketAlreadyOwnedByYou
                                                             : ErrorCode::kBucketAlreadyExists;
    } else if (result = CheckBucketChange(BucketRecord{}, bucket); result) {
      std::string name = bucket.name;
      buckets_.emplace(std::move(name), Bucket{std::move(bucket), {}, {}});
      ++generation_;
    }
  }
  done(std::move(result));
}

void MemoryMetadataStore::DeleteBucket(std::string name, Callback<std::vector<BlobRef>> done) {
  Result<std::vector<BlobRef>> result = std::vector<BlobRef>();
  {
    std::lock_guard lock(mu_);
    auto it = buckets_.find(name);
    if (it == buckets_.end()) {
      result = ErrorCode::kNoSuchBucket;
    } else if (!it->second.objects.empty() || !it->second.noncurrent.empty()) {
      result = ErrorCode::kBucketNotEmpty;
    } else {
      buckets_.erase(it);
      ++generation_;
      std::vector<std::string> ids;
      for (const auto& [id, upload] : uploads_) {
        if (upload.record.object.bucket == name) ids.push_back(id);
      }
      for (const auto& id : ids) {
        for (auto& blob : DropUploadLocked(id)) result->push_back(std::move(blob));
      }
    }
  }
  done(std::move(result));
}

void MemoryMetadataStore::UpdateBucket(std::string name,
                                       std::function<Result<void>(BucketRecord&)> mutate,
                                       Callback<void> done) {
  Result<void> result;
  {
    std::lock_guard lock(mu_);
    auto it = buckets_.find(name);
    if (it == buckets_.end()) {
      result = ErrorCode::kNoSuchBucket;
    } else {
      BucketRecord copy = it->second.record;
      result = mutate(copy);
      copy.name = name;
      if (result) result = CheckBucketChange(it->second.record, copy);
      if (result) {
        it->second.record = std::move(copy);
        ++generation_;
      }
    }
  }
  done(std::move(result));
}

void MemoryMetadataStore::PutObject(ObjectRecord object, WritePrecondition precondition,
                                    LockContext lock, Callback<PutOutcome> done) {
  Result<PutOutcome> result = PutOutcome();
  {
    std::lock_guard guard(mu_);
    Rows rows(*this);
    result = PutVersion(rows, std::move(object), precondition, lock);
  }
  done(std::move(result));
}

void MemoryMetadataStore::DeleteObject(DeleteRequest request, Callback<DeleteOutcome> done) {
  Result<DeleteOutcome> result = DeleteOutcome();
  {
    std::lock_guard guard(mu_);
    Rows rows(*this);
    result = DeleteVersion(rows, request);
  }
  done(std::move(result));
}

void MemoryMetadataStore::UpdateObject(std::string bucket, std::string key,
                                       std::optional<std::string> version_id, LockContext lock,
                                       std::function<Result<void>(ObjectRecord&)> mutate,
                                       Callback<void> done) {
  Result<void> result;
  {
    std::lock_guard guard(mu_);
    Rows rows(*this);
    result = UpdateVersion(rows, bucket, key, version_id, lock, mutate);
  }
  done(std::move(result));
}

void MemoryMetadataStore::ApplyDocumentsLocked(std::vector<DocumentWrite> writes) {
  for (auto& write : writes) {
    std::pair<std::string, std::string> id{std::move(write.kind), std::move(write.id)};
    if (write.value) {
      documents_[std::move(id)] = std::move(*write.value);
    } else {
      documents_.erase(id);
    }
  }
  ++generation_;
}

void MemoryMetadataStore::PutDocuments(std::vector<DocumentWrite> writes, Callback<void> done) {
  {
    std::lock_guard lock(mu_);
    ApplyDocumentsLocked(std::move(writes));
  }
  done(Ok());
}

Result<uint64_t> MemoryMetadataStore::ConfigGeneration() {
  std::lock_guard lock(mu_);
  return generation_;
}

Result<void> MemoryMetadataStore::ConfirmFollowing(std::string_view node_id, uint64_t generation) {
  std::lock_guard lock(mu_);
  followers_[std::string(node_id)] = Follower{generation, std::chrono::steady_clock::now()};
  return Ok();
}

Result<std::vector<std::string>> MemoryMetadataStore::NodesBehind(
    uint64_t generation, std::chrono::milliseconds liveness) {
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  std::vector<std::string> behind;
  for (const auto& [id, follower] : followers_) {
    if (follower.generation < generation && now - follower.heartbeat < liveness) {
      behind.push_back(id);
    }
  }
  return behind;
}

Result<void> MemoryMetadataStore::LeaveFollowing(std::string_view node_id) {
  std::lock_guard lock(mu_);
  if (auto it = followers_.find(node_id); it != followers_.end()) followers_.erase(it);
  return Ok();
}

Result<void> MemoryMetadataStore::RecordKeyUses(const std::vector<KeyUse>& uses) {
  std::lock_guard lock(mu_);
  for (const KeyUse& use : uses) {
    auto [it, inserted] = key_uses_.try_emplace(use.access_key_id, use);
    if (!inserted && use.used_at_ms > it->second.used_at_ms) it->second = use;
  }
  return Ok();
}

Result<std::optional<KeyUse>> MemoryMetadataStore::LastKeyUse(std::string_view access_key_id) {
  std::lock_guard lock(mu_);
  auto it = key_uses_.find(access_key_id);
  if (it == key_uses_.end()) return std::optional<KeyUse>();
  return std::optional<KeyUse>(it->second);
}

void MemoryMetadataStore::PutDocumentsIf(std::vector<DocumentWrite> writes,
                                         uint64_t expected_generation, Callback<uint64_t> done) {
  Result<uint64_t> result = ErrorCode::kConcurrentModification;
  {
    std::lock_guard lock(mu_);
    if (generation_ == expected_generation) {
      ApplyDocumentsLocked(std::move(writes));
      result = generation_;
    }
  }
  done(std::move(result));
}

void MemoryMetadataStore::PutDocumentIf(DocumentWrite write, std::optional<std::string> expected,
                                        Callback<bool> done) {
  bool written = false;
  {
    std::lock_guard lock(mu_);
    std::pair<std::string, std::string> id{std::move(write.kind), std::move(write.id)};
    auto it = documents_.find(id);
    std::optional<std::string> current;
    if (it != documents_.end()) current = it->second;
    if (current == expected) {
      if (write.value) {
        documents_[std::move(id)] = std::move(*write.value);
      } else if (it != documents_.end()) {
        documents_.erase(it);
      }
      written = true;
      ++generation_;
    }
  }
  done(written);
}

MemoryMetadataStore::Upload* MemoryMetadataStore::FindUploadLocked(std::string_view bucket,
                                                                   std::string_view key,
                                                                   std::string_view id) {
  auto it = uploads_.find(id);
  if (it == uploads_.end()) return nullptr;
  const ObjectRecord& object = it->second.record.object;
  return object.bucket == bucket && object.key == key ? &it->second : nullptr;
}

std::vector<BlobRef> MemoryMetadataStore::DropUploadLocked(const std::string& upload_id) {
  std::vector<BlobRef> blobs;
  auto it = uploads_.find(upload_id);
  if (it == uploads_.end()) return blobs;
  for (auto& [number, part] : it->second.parts) blobs.push_back(std::move(part.blob));
  uploads_.erase(it);
  return blobs;
}

Result<UploadRecord> MemoryMetadataStore::GetUpload(std::string_view bucket, std::string_view key,
                                                    std::string_view upload_id) {
  std::lock_guard lock(mu_);
  Upload* upload = FindUploadLocked(bucket, key, upload_id);
  if (!upload) return ErrorCode::kNoSuchUpload;
  return upload->record;
}

Result<std::vector<PartRecord>> MemoryMetadataStore::ListParts(std::string_view upload_id,
                                                               int after_part, int limit) {
  std::lock_guard lock(mu_);
  auto it = uploads_.find(upload_id);
  if (it == uploads_.end()) return ErrorCode::kNoSuchUpload;
  std::vector<PartRecord> parts;
  for (auto p = it->second.parts.upper_bound(after_part);
       p != it->second.parts.end() && static_cast<int>(parts.size()) < limit; ++p) {
    parts.push_back(p->second);
  }
  return parts;
}

Result<std::vector<UploadRecord>> MemoryMetadataStore::ListUploads(const UploadQuery& query) {
  std::lock_guard lock(mu_);
  if (buckets_.find(query.bucket) == buckets_.end()) return ErrorCode::kNoSuchBucket;
  std::vector<UploadRecord> all;
  for (const auto& [id, upload] : uploads_) {
    const ObjectRecord& object = upload.record.object;
    if (object.bucket != query.bucket || !object.key.starts_with(query.prefix)) continue;
    if (object.key < query.key_marker) continue;
    if (object.key == query.key_marker &&
        (query.upload_id_marker.empty() || id <= query.upload_id_marker)) {
      continue;
    }
    all.push_back(upload.record);
  }
  std::sort(all.begin(), all.end(), [](const UploadRecord& a, const UploadRecord& b) {
    return std::tie(a.object.key, a.initiated, a.upload_id) <
           std::tie(b.object.key, b.initiated, b.upload_id);
  });
  if (all.size() > static_cast<size_t>(std::max(query.limit, 0))) all.resize(query.limit);
  return all;
}

void MemoryMetadataStore::CreateUpload(UploadRecord upload, Callback<void> done) {
  Result<void> result;
  {
    std::lock_guard lock(mu_);
    if (buckets_.find(upload.object.bucket) == buckets_.end()) {
      result = ErrorCode::kNoSuchBucket;
    } else {
      std::string id = upload.upload_id;
      uploads_.emplace(std::move(id), Upload{std::move(upload), {}});
    }
  }
  done(std::move(result));
}

void MemoryMetadataStore::PutPart(std::string upload_id, PartRecord part,
                                  Callback<std::optional<BlobRef>> done) {
  Result<std::optional<BlobRef>> result = std::optional<BlobRef>();
  {
    std::lock_guard lock(mu_);
    auto it = uploads_.find(upload_id);
    if (it == uploads_.end()) {
      result = ErrorCode::kNoSuchUpload;
    } else {
      auto& parts = it->second.parts;
      if (auto old = parts.find(part.part_number); old != parts.end()) {
        result = std::optional<BlobRef>(std::move(old->second.blob));
      }
      int number = part.part_number;
      parts.insert_or_assign(number, std::move(part));
    }
  }
  done(std::move(result));
}

Result<PutOutcome> MemoryMetadataStore::CompleteUploadLocked(const CompletedUpload& completed,
                                                             const LockContext& lock) {
  const ObjectRecord& object = completed.object;
  Upload* upload = FindUploadLocked(object.bucket, object.key, completed.upload_id);
  if (!upload) return ErrorCode::kNoSuchUpload;
  for (const auto& part : completed.parts) {
    auto stored = upload->parts.find(part.part_number);
    if (stored == upload->parts.end() || stored->second.blob.id != part.blob.id) {
      return ErrorCode::kInvalidPart;
    }
  }
  Rows rows(*this);
  auto outcome = PutVersion(rows, object, completed.precondition, lock);
  if (!outcome) return outcome.error();
  std::vector<BlobRef> unused;
  for (auto& [number, part] : upload->parts) {
    bool used = std::any_of(completed.parts.begin(), completed.parts.end(),
                            [&](const PartRecord& p) { return p.part_number == number; });
    if (!used) unused.push_back(std::move(part.blob));
  }
  uploads_.erase(completed.upload_id);
  for (auto& blob : outcome->unreferenced) unused.push_back(std::move(blob));
  outcome->unreferenced = std::move(unused);
  return outcome;
}

void MemoryMetadataStore::CompleteUpload(CompletedUpload completed, LockContext lock,
                                         Callback<PutOutcome> done) {
  Result<PutOutcome> result = PutOutcome();
  {
    std::lock_guard guard(mu_);
    result = CompleteUploadLocked(completed, lock);
  }
  done(std::move(result));
}

void MemoryMetadataStore::AbortUpload(std::string bucket, std::string key, std::string upload_id,
                                      Callback<std::vector<BlobRef>> done) {
  Result<std::vector<BlobRef>> result = std::vector<BlobRef>();
  {
    std::lock_guard lock(mu_);
    if (!FindUploadLocked(bucket, key, upload_id)) {
      result = ErrorCode::kNoSuchUpload;
    } else {
      result = DropUploadLocked(upload_id);
    }
  }
  done(std::move(result));
}

Result<std::unordered_set<std::string>> MemoryMetadataStore::ReferencedBlobIds() {
  std::unordered_set<std::string> ids;
  auto add = [&ids](const BlobRef& ref) {
    if (ref.kind == BlobRef::Kind::kFile) ids.insert(ref.id);
    for (const auto& part : ref.parts) ids.insert(part.id);
  };
  std::lock_guard lock(mu_);
  for (const auto& [name, bucket] : buckets_) {
    for (const auto& [key, object] : bucket.objects) add(object.record.blob);
    for (const auto& [key, versions] : bucket.noncurrent) {
      for (const auto& [sequence, version] : versions) add(version.record.blob);
    }
  }
  for (const auto& [id, upload] : uploads_) {
    for (const auto& [number, part] : upload.parts) add(part.blob);
  }
  return ids;
}

}  // namespace kura::store
