#include "s3/acl_grant_source.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/text.h"
#include "policy/arn.h"
#include "s3/response.h"

namespace kura::s3 {
namespace {

using Level = AclRequirement::Level;

struct ActionRow {
  std::string_view action;
  AclRequirement requirement;
};

// AWS's mapping table, row by row (s3:GetObjectTorrent and the bucket owner's
// s3:DeleteObjectVersion through WRITE are left out: kura serves no torrents, and the owner's
// root is allowed anyway).
constexpr std::array<ActionRow, 13> kActions = {{
    {"s3:ListBucket", {Level::kBucket, AclPermission::kRead}},
    {"s3:ListBucketVersions", {Level::kBucket, AclPermission::kRead}},
    {"s3:ListBucketMultipartUploads", {Level::kBucket, AclPermission::kRead}},
    {"s3:PutObject", {Level::kBucket, AclPermission::kWrite}},
    {"s3:DeleteObject", {Level::kBucket, AclPermission::kWrite}},
    {"s3:GetBucketAcl", {Level::kBucket, AclPermission::kReadAcp}},
    {"s3:PutBucketAcl", {Level::kBucket, AclPermission::kWriteAcp}},
    {"s3:GetObject", {Level::kObject, AclPermission::kRead}},
    {"s3:GetObjectVersion", {Level::kObject, AclPermission::kRead}},
    {"s3:GetObjectAcl", {Level::kObject, AclPermission::kReadAcp}},
    {"s3:GetObjectVersionAcl", {Level::kObject, AclPermission::kReadAcp}},
    {"s3:PutObjectAcl", {Level::kObject, AclPermission::kWriteAcp}},
    {"s3:PutObjectVersionAcl", {Level::kObject, AclPermission::kWriteAcp}},
}};

bool CoversGrantee(const AclGrant& grant, const Principal& principal, bool ignore_public) {
  if (grant.kind == AclGrant::GranteeKind::kGroup) {
    if (ignore_public) return false;
    if (grant.grantee == kAllUsersGroup) return true;
    return grant.grantee == kAuthenticatedUsersGroup && !principal.IsAnonymous();
  }
  // A grant to an account reaches its IAM users and roles only through their identity
  // policies (which the authorizer already evaluated): by itself it allows the account's root.
  return principal.IsRoot() && grant.grantee == CanonicalUserId(principal.account_id);
}

}  // namespace

std::optional<AclRequirement> AclRequirementFor(std::string_view action) {
  for (const ActionRow& row : kActions) {
    if (EqualsIgnoreAsciiCase(row.action, action)) return row.requirement;
  }
  return std::nullopt;
}

bool AclGrantsPermission(const AccessControlList& acl, const Principal& principal,
                         AclPermission permission, bool ignore_public) {
  return std::ranges::any_of(acl.grants, [&](const AclGrant& grant) {
    return (grant.permission == permission || grant.permission == AclPermission::kFullControl) &&
           CoversGrantee(grant, principal, ignore_public);
  });
}

std::optional<AccessControlList> AclGrantSource::ObjectAcl(const BucketAccess& bucket,
                                                           std::string_view name,
                                                           std::string_view key,
                                                           std::string_view version_id) const {
  if (read_threads_ != nullptr && !read_threads_->get_executor().running_in_this_thread()) {
    return std::nullopt;
  }
  std::optional<std::string_view> version;
  if (!version_id.empty()) version = version_id;
  auto object = metadata_.GetObjectMeta(name, key, version);
  if (!object || object->is_delete_marker) return std::nullopt;
  return DecodeAcl(object->acl, bucket.owner_id);
}

bool AclGrantSource::AclGrants(const Principal& principal, std::string_view action,
                               std::string_view resource,
                               const policy::RequestAttributes& facts) const {
  std::optional<AclRequirement> needs = AclRequirementFor(action);
  if (!needs) return false;
  std::optional<policy::ArnView> arn = policy::ParseArn(resource);
  if (!arn || arn->service != "s3") return false;
  std::string_view path = arn->resource;  // BUCKET or BUCKET/KEY
  size_t slash = path.find('/');
  std::string_view bucket_name = path.substr(0, slash);
  std::shared_ptr<const BucketAccess> bucket = buckets_.Access(bucket_name);
  if (bucket == nullptr || !bucket->AclsEnabled()) return false;
  bool ignore_public = bucket->public_access_block.ignore_public_acls;
  if (needs->level == Level::kBucket) {
    return AclGrantsPermission(bucket->acl, principal, needs->permission, ignore_public);
  }
  if (slash == std::string_view::npos) return false;
  auto acl = ObjectAcl(*bucket, bucket_name, path.substr(slash + 1), facts.version_id);
  return acl && AclGrantsPermission(*acl, principal, needs->permission, ignore_public);
}

}  // namespace kura::s3
