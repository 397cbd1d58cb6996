// The compiled bucket policies the authorizer evaluates, one per bucket, loaded lazily from the
// bucket records and invalidated by the handlers that change them (Put/DeleteBucketPolicy,
// CreateBucket, DeleteBucket), so that the request path parses no JSON.
// Bounded: bucket names come from clients, so only buckets that exist are cached (a flood of
// made-up names costs a store read each, never memory), and past limits::kMaxCachedBucketPolicies
// entries an arbitrary one is evicted.
// Thread-safety: thread-safe. A load that races an invalidation is not cached (generation check).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "policy/compiled_policy.h"
#include "policy/resource_policy_source.h"
#include "store/metadata_store.h"

namespace kura::s3 {

class BucketPolicyCache final : public policy::ResourcePolicySource {
 public:
  explicit BucketPolicyCache(store::MetadataStore& metadata) : metadata_(metadata) {}
  BucketPolicyCache(const BucketPolicyCache&) = delete;
  BucketPolicyCache& operator=(const BucketPolicyCache&) = delete;

  // The bucket's compiled policy; null when it has none, does not exist, or its stored policy
  // cannot be read.
  std::shared_ptr<const policy::CompiledPolicy> ForBucket(std::string_view bucket) override;
  // Forgets the bucket's entry; the next ForBucket reads the store again.
  void Invalidate(std::string_view bucket);
  // How many buckets are cached now (for tests).
  size_t size();

 private:
  store::MetadataStore& metadata_;
  std::mutex mu_;
  uint64_t generation_ = 0;  // guarded by mu_; bumped by every Invalidate
  std::unordered_map<std::string, std::shared_ptr<const policy::CompiledPolicy>> entries_;  // guarded by mu_
};

// The policy id compiled policies of a bucket carry ("arn:aws:s3:::BUCKET").
std::string BucketPolicyId(std::string_view bucket);

}  // namespace kura::s3
