// ACLs in authorization: the policy::AccessControlSource the authorizer asks when the policies
// deny implicitly. It maps the action to the ACL permission that allows it ("Mapping of ACL
// permissions and access policy permissions",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#acl-access-policy-permission-mapping)
// and reads the ACL that decides: the bucket's from memory (BucketPolicyCache), an object
// version's from the store, only on this slow path. A grant counts for its grantees as a
// resource-based policy Allow would (AWS evaluates ACLs in the resource-based step,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html):
//   AllUsers           — any principal, anonymous ones included;
//   AuthenticatedUsers — any signed principal;
//   a canonical user   — the root of that account. An account's IAM users and roles get an
//                        ACL grant to their account only through their identity policies, so
//                        within the one account kura has (#15) such a grant adds nothing for them.
//   LogDelivery        — AWS's log delivery service; nobody kura serves.
// ACLs grant nothing on a bucket whose Object Ownership is BucketOwnerEnforced, and the two
// group grants nothing under Block Public Access's IgnorePublicAcls.
// Thread-safety: thread-safe (the cache and the store are).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <optional>
#include <string_view>

#include "policy/access_control_source.h"
#include "s3/access_control_list.h"
#include "s3/bucket_policy_cache.h"
#include "store/metadata_store.h"

namespace kura::s3 {

// Which ACL an action's grant comes from and the permission it needs there (FULL_CONTROL
// includes every permission). Bucket ACLs also allow s3:PutObject and s3:DeleteObject on the
// bucket's objects (WRITE).
struct AclRequirement {
  enum class Level { kBucket, kObject };
  Level level = Level::kBucket;
  AclPermission permission = AclPermission::kRead;
};

// The requirement of an S3 action; nullopt for actions no ACL grants (matched
// case-insensitively, as IAM actions are).
std::optional<AclRequirement> AclRequirementFor(std::string_view action);

// Whether `acl` grants `permission` to `principal` (`ignore_public`: IgnorePublicAcls).
bool AclGrantsPermission(const AccessControlList& acl, const Principal& principal,
                         AclPermission permission, bool ignore_public);

class AclGrantSource final : public policy::AccessControlSource {
 public:
  // `read_threads` (S3Env::metadata_reads): where the store's reads may wait on the network. With
  // them, an object's ACL is read only on those threads; asked anywhere else (an I/O thread) the
  // source grants nothing rather than wait, and the caller authorizes again on them (the request
  // pipeline; handlers authorize such actions inside a ReadStep). Null: reads anywhere.
  AclGrantSource(BucketPolicyCache& buckets, store::MetadataStore& metadata,
                 boost::asio::thread_pool* read_threads = nullptr)
      : buckets_(buckets), metadata_(metadata), read_threads_(read_threads) {}

  bool AclGrants(const Principal& principal, std::string_view action, std::string_view resource,
                 const policy::RequestAttributes& facts) const override;

 private:
  // The ACL of the object (version) the resource names; nullopt when it has none (no such
  // object, a delete marker, an unreadable record) or when it may not be read on this thread.
  std::optional<AccessControlList> ObjectAcl(const BucketAccess& bucket, std::string_view name,
                                             std::string_view key,
                                             std::string_view version_id) const;

  BucketPolicyCache& buckets_;
  store::MetadataStore& metadata_;
  boost::asio::thread_pool* const read_threads_;
};

}  // namespace kura::s3
