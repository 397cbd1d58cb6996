// What of each bucket takes part in authorization, all of it in memory: the compiled bucket
// policy (and whether it is public), the bucket's Object Ownership, its decoded ACL, its owner
// and its Block Public Access settings. Filled from the bucket records when serve starts (Load)
// and refreshed by the handlers that change a policy, an ACL, ownership controls, a public
// access block or a bucket (Put/DeleteBucketPolicy, Put*Acl, *OwnershipControls,
// *PublicAccessBlock, CreateBucket, DeleteBucket) after their write is durable, so the request
// path neither reads the store nor parses JSON. Every bucket's owner account is held (the
// authorizer needs it for every request, #15); the rest only when it can change a decision (the
// bucket has a policy, or ACLs are enabled by its ownership). A bucket that does not exist costs
// a hash lookup, never a store read or memory. A bucket policy is compiled for its owner's
// account (an empty account field in its IAM ARNs names the owner).
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
#include "s3/access_control_list.h"
#include "store/metadata_store.h"

namespace kura::s3 {

// One bucket's access control as of its last committed record. Immutable once published.
struct BucketAccess {
  std::shared_ptr<const policy::CompiledPolicy> policy;  // null: no policy
  bool policy_is_public = false;                         // policy::IsPublicPolicy
  std::string owner_id;                                  // canonical user id
  store::ObjectOwnership ownership = store::ObjectOwnership::kBucketOwnerEnforced;
  AccessControlList acl;  // the bucket's; its objects' are in their records
  store::PublicAccessBlock public_access_block;

  // BucketOwnerEnforced disables ACLs: they neither grant nor are stored.
  bool AclsEnabled() const { return ownership != store::ObjectOwnership::kBucketOwnerEnforced; }
};

class BucketPolicyCache final : public policy::ResourcePolicySource {
 public:
  // `management_account`: the owner of buckets recorded without one (made before accounts).
  explicit BucketPolicyCache(store::MetadataStore& metadata, std::string management_account = {})
      : metadata_(metadata), management_account_(std::move(management_account)) {}
  BucketPolicyCache(const BucketPolicyCache&) = delete;
  BucketPolicyCache& operator=(const BucketPolicyCache&) = delete;

  // Compiles every bucket's stored policy (serve calls it once before it accepts connections).
  // A stored policy that no longer parses is left out (it was valid when it was put) and
  // logged, as is a corrupt stored ACL (read as the owner's FULL_CONTROL). Errors: the store's,
  // when the buckets cannot be listed.
  Result<void> Load();
  // The bucket's compiled policy (null when it has none or does not exist), whether
  // RestrictPublicBuckets restricts it, and its owner account ("" when it does not exist).
  policy::ResourcePolicy ForBucket(std::string_view bucket) override;
  // The account that owns the bucket; "" when it does not exist.
  std::string OwnerOf(std::string_view bucket);
  // The bucket's access control; null when neither a policy nor an ACL can grant anything on
  // it (no policy and ACLs disabled), or when it does not exist.
  std::shared_ptr<const BucketAccess> Access(std::string_view bucket);
  // Re-reads the bucket's record after a durable change to it (or its deletion).
  void Refresh(std::string_view bucket);
  // How many buckets' access control is held (for tests).
  size_t size();

 private:
  struct Entry {
    std::string owner_account;
    std::shared_ptr<const BucketAccess> access;  // null: nothing but the owner can grant
  };
  void Put(const store::BucketRecord& record);  // requires mu_

  store::MetadataStore& metadata_;
  const std::string management_account_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
};

// The policy id compiled policies of a bucket carry ("arn:aws:s3:::BUCKET").
std::string BucketPolicyId(std::string_view bucket);

}  // namespace kura::s3
