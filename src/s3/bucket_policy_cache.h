// The compiled bucket policies the authorizer evaluates, all of them in memory: filled from the
// bucket records when serve starts (Load) and refreshed by the handlers that change a policy or
// a bucket (Put/DeleteBucketPolicy, CreateBucket, DeleteBucket) after their write is durable, so
// the request path neither reads the store nor parses JSON. A bucket without an entry has no
// policy (or does not exist): made-up bucket names cost a hash lookup, never a store read or
// memory. Memory is one compiled policy per bucket that has one.
// Thread-safety: thread-safe. Refreshes of one bucket are serialized with its lookups, so the
// last refresh to run reads the latest committed record.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/error.h"
#include "policy/compiled_policy.h"
#include "policy/resource_policy_source.h"
#include "store/metadata_store.h"

namespace kura::s3 {

class BucketPolicyCache final : public policy::ResourcePolicySource {
 public:
  explicit BucketPolicyCache(store::MetadataStore& metadata) : metadata_(metadata) {}
  BucketPolicyCache(const BucketPolicyCache&) = delete;
  BucketPolicyCache& operator=(const BucketPolicyCache&) = delete;

  // Compiles every bucket's stored policy (serve calls it once before it accepts connections).
  // A stored policy that no longer parses is left out (it was valid when it was put) and
  // logged. Errors: the store's, when the buckets cannot be listed.
  Result<void> Load();
  // The bucket's compiled policy; null when it has none or does not exist.
  std::shared_ptr<const policy::CompiledPolicy> ForBucket(std::string_view bucket) override;
  // Re-reads the bucket's record after a durable change to it (or its deletion).
  void Refresh(std::string_view bucket);
  // How many buckets with a policy are held (for tests).
  size_t size();

 private:
  void Put(const std::string& bucket, const std::string& policy_json);  // requires mu_

  store::MetadataStore& metadata_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const policy::CompiledPolicy>> entries_;  // guarded by mu_
};

// The policy id compiled policies of a bucket carry ("arn:aws:s3:::BUCKET").
std::string BucketPolicyId(std::string_view bucket);

}  // namespace kura::s3
