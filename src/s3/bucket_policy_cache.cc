#include "s3/bucket_policy_cache.h"

#include "common/limits.h"
#include "policy/policy.h"

namespace kura::s3 {

std::string BucketPolicyId(std::string_view bucket) { return "arn:aws:s3:::" + std::string(bucket); }

std::shared_ptr<const policy::CompiledPolicy> BucketPolicyCache::ForBucket(std::string_view bucket) {
  uint64_t generation;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(std::string(bucket));
    if (it != entries_.end()) return it->second;
    generation = generation_;
  }
  std::shared_ptr<const policy::CompiledPolicy> compiled;
  auto record = metadata_.GetBucket(bucket);
  if (!record) return nullptr;  // no such bucket (or unreadable): nothing to remember
  if (!record->policy_json.empty()) {
    auto parsed = policy::ParsePolicy(record->policy_json, policy::PolicyKind::kResource, BucketPolicyId(bucket));
    if (parsed) compiled = std::move(*parsed);
  }
  std::lock_guard lock(mu_);
  if (generation != generation_) return compiled;
  if (entries_.size() >= limits::kMaxCachedBucketPolicies) entries_.erase(entries_.begin());
  entries_.emplace(std::string(bucket), compiled);
  return compiled;
}

void BucketPolicyCache::Invalidate(std::string_view bucket) {
  std::lock_guard lock(mu_);
  ++generation_;
  entries_.erase(std::string(bucket));
}

size_t BucketPolicyCache::size() {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace kura::s3
