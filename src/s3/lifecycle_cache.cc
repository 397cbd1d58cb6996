#include "s3/lifecycle_cache.h"

#include "common/logging.h"

namespace kura::s3 {

void LifecycleRulesCache::Put(const std::string& bucket, const std::string& xml) {
  entries_.erase(bucket);
  if (xml.empty()) return;
  auto rules = ParseLifecycleConfiguration(xml);
  if (!rules) {
    LogLine(LogLevel::kWarning, "lifecycle configuration of " + bucket + " does not parse (" +
                                    rules.error().message + "); it is not applied");
    return;
  }
  entries_.emplace(bucket, std::make_shared<const LifecycleRules>(std::move(*rules)));
}

Result<void> LifecycleRulesCache::Load() {
  auto buckets = metadata_.ListBuckets();
  if (!buckets) return buckets.error();
  std::lock_guard lock(mu_);
  entries_.clear();
  for (const auto& bucket : *buckets) Put(bucket.name, bucket.lifecycle_xml);
  return Ok();
}

void LifecycleRulesCache::Refresh(std::string_view bucket) {
  std::string name(bucket);
  // Read under the lock: of two racing refreshes, the later one reads (and leaves) the later record.
  std::lock_guard lock(mu_);
  auto record = metadata_.GetBucket(name);
  Put(name, record ? record->lifecycle_xml : std::string());
}

std::shared_ptr<const LifecycleRules> LifecycleRulesCache::ForBucket(std::string_view bucket) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(bucket));
  return it == entries_.end() ? nullptr : it->second;
}

std::optional<ObjectExpiry> LifecycleRulesCache::ExpiryOf(const store::ObjectRecord& object) {
  auto rules = ForBucket(object.bucket);
  if (!rules) return std::nullopt;
  return s3::ExpiryOf(*rules, object, day_);
}

}  // namespace kura::s3
