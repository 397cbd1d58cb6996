#include "store/memory/memory_metadata_store.h"

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

void MemoryMetadataStore::DeleteBucket(std::string name, Callback<void> done) {
  Result<void> result;
  {
    std::lock_guard lock(mu_);
    auto it = buckets_.find(name);
    if (it == buckets_.end()) {
      result = ErrorCode::kNoSuchBucket;
    } else if (!it->second.objects.empty()) {
      result = ErrorCode::kBucketNotEmpty;
    } else {
      buckets_.erase(it);
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

}  // namespace kura::store
