// Where the authorizer finds resource-based policies (today: S3 bucket policies), asked by
// interface so that the policy layer names no storage: cmd wires in s3::BucketPolicyCache,
// tests a fixed map.
// Thread-safety: implementations allow concurrent calls.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "policy/compiled_policy.h"

namespace kura::policy {

// A bucket's policy as the authorizer evaluates it.
struct ResourcePolicy {
  std::shared_ptr<const CompiledPolicy> policy;  // null: the bucket has none
  // Block Public Access's RestrictPublicBuckets is on and the policy is public: its Allow
  // statements grant only principals of the owner's account (AuthorizationInput).
  bool restrict_public = false;
  // The account that owns the bucket; "" when there is no such bucket.
  std::string owner_account;
};

class ResourcePolicySource {
 public:
  virtual ~ResourcePolicySource() = default;
  // The bucket's compiled policy (null when it has none), whether it is restricted, and its owner.
  virtual ResourcePolicy ForBucket(std::string_view bucket) = 0;
};

}  // namespace kura::policy
