// Where the authorizer finds resource-based policies (today: S3 bucket policies), asked by
// interface so that the policy layer names no storage: cmd wires in s3::BucketPolicyCache,
// tests a fixed map.
// Thread-safety: implementations allow concurrent calls.
#pragma once

#include <memory>
#include <string_view>

#include "policy/compiled_policy.h"

namespace kura::policy {

class ResourcePolicySource {
 public:
  virtual ~ResourcePolicySource() = default;
  // The bucket's compiled policy, or null when it has none.
  virtual std::shared_ptr<const CompiledPolicy> ForBucket(std::string_view bucket) = 0;
};

}  // namespace kura::policy
