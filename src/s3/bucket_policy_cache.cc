#include "s3/bucket_policy_cache.h"

#include "common/logging.h"
#include "policy/policy.h"

namespace kura::s3 {

std::string BucketPolicyId(std::string_view bucket) { return "arn:aws:s3:::" + std::string(bucket); }

void BucketPolicyCache::Put(const std::string& bucket, const std::string& policy_json) {
  entries_.erase(bucket);
  if (policy_json.empty()) return;
  auto parsed = policy::ParsePolicy(policy_json, policy::PolicyKind::kResource, BucketPolicyId(bucket));
  if (!parsed) {
    LogLine(LogLevel::kWarning, "bucket policy of " + bucket + " does not parse (" + parsed.error().message +
                                    "); the bucket is served as if it had none");
    return;
  }
  entries_.emplace(bucket, std::move(*parsed));
}

Result<void> BucketPolicyCache::Load() {
  auto buckets = metadata_.ListBuckets();
  if (!buckets) return buckets.error();
  std::lock_guard lock(mu_);
  entries_.clear();
  for (const auto& bucket : *buckets) Put(bucket.name, bucket.policy_json);
  return Ok();
}

std::shared_ptr<const policy::CompiledPolicy> BucketPolicyCache::ForBucket(std::string_view bucket) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(bucket));
  return it == entries_.end() ? nullptr : it->second;
}

void BucketPolicyCache::Refresh(std::string_view bucket) {
  std::string name(bucket);
  // The read happens under the lock so that of two refreshes racing, the later one also reads
  // (and leaves) the later record.
  std::lock_guard lock(mu_);
  auto record = metadata_.GetBucket(name);
  Put(name, record ? record->policy_json : std::string());
}

size_t BucketPolicyCache::size() {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace kura::s3
