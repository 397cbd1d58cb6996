#include "s3/bucket_policy_cache.h"

#include <algorithm>

#include "common/logging.h"
#include "policy/policy.h"
#include "policy/public_policy.h"

namespace kura::s3 {
namespace {

std::shared_ptr<const policy::CompiledPolicy> Compile(const store::BucketRecord& record,
                                                      std::string_view owner_account) {
  if (record.policy_json.empty()) return nullptr;
  auto parsed = policy::ParsePolicy(record.policy_json, policy::PolicyKind::kResource,
                                    BucketPolicyId(record.name), owner_account);
  if (!parsed) {
    LogLine(LogLevel::kWarning, "bucket policy of " + record.name + " does not parse (" +
                                    parsed.error().message +
                                    "); the bucket is served as if it had none");
    return nullptr;
  }
  return std::move(*parsed);
}

AccessControlList BucketAcl(const store::BucketRecord& record) {
  auto acl = DecodeAcl(record.acl, record.owner_id);
  if (acl) return std::move(*acl);
  LogLine(LogLevel::kWarning, "the stored ACL of bucket " + record.name +
                                  " is corrupt; it is served as its owner's FULL_CONTROL");
  return OwnerFullControl(record.owner_id);
}

}  // namespace

std::string BucketPolicyId(std::string_view bucket) { return "arn:aws:s3:::" + std::string(bucket); }

void BucketPolicyCache::Put(const store::BucketRecord& record) {
  Entry& entry = entries_[record.name];
  entry.owner_account = record.owner_account.empty() ? management_account_ : record.owner_account;
  entry.access = nullptr;
  auto access = std::make_shared<BucketAccess>();
  access->policy = Compile(record, entry.owner_account);
  access->ownership = record.object_ownership;
  if (access->policy == nullptr && !access->AclsEnabled()) return;
  access->policy_is_public = access->policy != nullptr && policy::IsPublicPolicy(*access->policy);
  access->owner_id = record.owner_id;
  if (access->AclsEnabled()) access->acl = BucketAcl(record);
  access->public_access_block = record.public_access_block;
  entry.access = std::move(access);
}

Result<void> BucketPolicyCache::Load() {
  auto buckets = metadata_.ListBuckets();
  if (!buckets) return buckets.error();
  std::lock_guard lock(mu_);
  entries_.clear();
  for (const auto& bucket : *buckets) Put(bucket);
  return Ok();
}

std::shared_ptr<const BucketAccess> BucketPolicyCache::Access(std::string_view bucket) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(bucket));
  return it == entries_.end() ? nullptr : it->second.access;
}

std::string BucketPolicyCache::OwnerOf(std::string_view bucket) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(bucket));
  return it == entries_.end() ? std::string() : it->second.owner_account;
}

policy::ResourcePolicy BucketPolicyCache::ForBucket(std::string_view bucket) {
  std::shared_ptr<const BucketAccess> access;
  policy::ResourcePolicy out;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(std::string(bucket));
    if (it == entries_.end()) return out;
    out.owner_account = it->second.owner_account;
    access = it->second.access;
  }
  if (access == nullptr) return out;
  out.policy = access->policy;
  out.restrict_public =
      access->policy_is_public && access->public_access_block.restrict_public_buckets;
  return out;
}

void BucketPolicyCache::Refresh(std::string_view bucket) {
  std::string name(bucket);
  // The read happens under the lock so that of two refreshes racing, the later one also reads
  // (and leaves) the later record.
  std::lock_guard lock(mu_);
  auto record = metadata_.GetBucket(name);
  if (!record) {
    entries_.erase(name);
    return;
  }
  Put(*record);
}

size_t BucketPolicyCache::size() {
  std::lock_guard lock(mu_);
  return std::ranges::count_if(entries_, [](const auto& e) { return e.second.access != nullptr; });
}

}  // namespace kura::s3
