#include "store/memory/memory_metadata_store.h"

#include <algorithm>
#include <tuple>

#include "store/listing.h"
#include "store/preconditions.h"

namespace kura::store {
namespace {

class MapCursor final : public KeyCursor {
 public:
  explicit MapCursor(const std::map<std::string, ObjectRecord>& objects) : objects_(objects) {}
  Result<bool> Seek(std::string_view from) override {
    it_ = objects_.lower_bound(std::string(from));
    return it_ != objects_.end();
  }
  Result<bool> Next() override { return ++it_ != objects_.end(); }
  std::string_view key() const override { return it_->first; }
  Result<ObjectRecord> Record() const override {
    ObjectRecord record = it_->second;
    record.blob.inline_data.clear();
    return record;
  }

 private:
  const std::map<std::string, ObjectRecord>& objects_;
  std::map<std::string, ObjectRecord>::const_iterator it_;
};

}  // namespace

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

Result<ObjectRecord> MemoryMetadataStore::GetObject(std::string_view bucket, std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return ErrorCode::kNoSuchBucket;
  auto object = it->second.objects.find(std::string(key));
  if (object == it->second.objects.end()) return ErrorCode::kNoSuchKey;
  return object->second;
}

Result<ListPage> MemoryMetadataStore::ListObjects(const ListQuery& query) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(query.bucket);
  if (it == buckets_.end()) return ErrorCode::kNoSuchBucket;
  MapCursor cursor(it->second.objects);
  return ListPageFromCursor(query, cursor);
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
    if (it == buckets_.end()) {
      std::string name = bucket.name;
      buckets_.emplace(std::move(name), Bucket{std::move(bucket), {}});
    } else {
      result = it->second.record.owner_id == bucket.owner_id ? ErrorCode::kBucketAlreadyOwnedByYou
                                                             : ErrorCode::kBucketAlreadyExists;
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
    } else if (!it->second.objects.empty()) {
      result = ErrorCode::kBucketNotEmpty;
    } else {
      buckets_.erase(it);
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
      if (result) it->second.record = std::move(copy);
    }
  }
  done(std::move(result));
}

Result<std::optional<BlobRef>> MemoryMetadataStore::PutObjectLocked(
    ObjectRecord object, const WritePrecondition& precondition) {
  auto it = buckets_.find(object.bucket);
  if (it == buckets_.end()) return ErrorCode::kNoSuchBucket;
  auto& objects = it->second.objects;
  auto current = objects.find(object.key);
  KURA_TRY(CheckPrecondition(precondition, current == objects.end() ? nullptr : &current->second));
  std::optional<BlobRef> replaced;
  if (current != objects.end()) replaced = std::move(current->second.blob);
  std::string key = object.key;
  objects.insert_or_assign(std::move(key), std::move(object));
  return replaced;
}

void MemoryMetadataStore::PutObject(ObjectRecord object, WritePrecondition precondition,
                                    Callback<std::optional<BlobRef>> done) {
  Result<std::optional<BlobRef>> result = std::optional<BlobRef>();
  {
    std::lock_guard lock(mu_);
    result = PutObjectLocked(std::move(object), precondition);
  }
  done(std::move(result));
}

void MemoryMetadataStore::DeleteObject(std::string bucket, std::string key,
                                       Callback<std::optional<BlobRef>> done) {
  Result<std::optional<BlobRef>> result = std::optional<BlobRef>();
  {
    std::lock_guard lock(mu_);
    auto it = buckets_.find(bucket);
    if (it == buckets_.end()) {
      result = ErrorCode::kNoSuchBucket;
    } else if (auto object = it->second.objects.find(key); object != it->second.objects.end()) {
      result = std::optional<BlobRef>(std::move(object->second.blob));
      it->second.objects.erase(object);
    }
  }
  done(std::move(result));
}

void MemoryMetadataStore::UpdateObject(std::string bucket, std::string key,
                                       std::function<Result<void>(ObjectRecord&)> mutate,
                                       Callback<void> done) {
  Result<void> result;
  {
    std::lock_guard lock(mu_);
    auto it = buckets_.find(bucket);
    auto object = it == buckets_.end() ? decltype(it->second.objects.begin())()
                                       : it->second.objects.find(key);
    if (it == buckets_.end()) {
      result = ErrorCode::kNoSuchBucket;
    } else if (object == it->second.objects.end()) {
      result = ErrorCode::kNoSuchKey;
    } else {
      ObjectRecord copy = object->second;
      result = mutate(copy);
      copy.bucket = bucket;
      copy.key = key;
      copy.blob = object->second.blob;
      if (result) object->second = std::move(copy);
    }
  }
  done(std::move(result));
}

void MemoryMetadataStore::PutDocuments(std::vector<DocumentWrite> writes, Callback<void> done) {
  {
    std::lock_guard lock(mu_);
    for (auto& write : writes) {
      std::pair<std::string, std::string> id{std::move(write.kind), std::move(write.id)};
      if (write.value) {
        documents_[std::move(id)] = std::move(*write.value);
      } else {
        documents_.erase(id);
      }
    }
  }
  done(Ok());
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

Result<std::vector<BlobRef>> MemoryMetadataStore::CompleteUploadLocked(
    const CompletedUpload& completed) {
  const ObjectRecord& object = completed.object;
  Upload* upload = FindUploadLocked(object.bucket, object.key, completed.upload_id);
  if (!upload) return ErrorCode::kNoSuchUpload;
  for (const auto& part : completed.parts) {
    auto stored = upload->parts.find(part.part_number);
    if (stored == upload->parts.end() || stored->second.blob.id != part.blob.id) {
      return ErrorCode::kInvalidPart;
    }
  }
  auto replaced = PutObjectLocked(object, completed.precondition);
  if (!replaced) return replaced.error();
  std::vector<BlobRef> unused;
  for (auto& [number, part] : upload->parts) {
    bool used = std::any_of(completed.parts.begin(), completed.parts.end(),
                            [&](const PartRecord& p) { return p.part_number == number; });
    if (!used) unused.push_back(std::move(part.blob));
  }
  uploads_.erase(completed.upload_id);
  if (*replaced) unused.push_back(std::move(**replaced));
  return unused;
}

void MemoryMetadataStore::CompleteUpload(CompletedUpload completed,
                                         Callback<std::vector<BlobRef>> done) {
  Result<std::vector<BlobRef>> result = std::vector<BlobRef>();
  {
    std::lock_guard lock(mu_);
    result = CompleteUploadLocked(completed);
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
    for (const auto& [key, object] : bucket.objects) add(object.blob);
  }
  for (const auto& [id, upload] : uploads_) {
    for (const auto& [number, part] : upload.parts) add(part.blob);
  }
  return ids;
}

}  // namespace kura::store
