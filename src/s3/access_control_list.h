// S3's access control list as kura keeps it: an owner and an ordered list of grants, each to a
// canonical user (an account) or to one of S3's predefined groups. Grants by e-mail address are
// resolved to the account's canonical user id when they are written, as S3 does, so a stored
// ACL names accounts only by canonical id.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
// This file is the model and its storage encoding (store::BucketRecord::acl,
// store::ObjectRecord::acl); the XML and header forms are parsed in s3/acl.cc.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kura::s3 {

enum class AclPermission { kRead, kWrite, kReadAcp, kWriteAcp, kFullControl };

// The predefined groups' URIs.
inline constexpr std::string_view kAllUsersGroup = "http://acs.amazonaws.com/groups/global/AllUsers";
inline constexpr std::string_view kAuthenticatedUsersGroup =
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
inline constexpr std::string_view kLogDeliveryGroup = "http://acs.amazonaws.com/groups/s3/LogDelivery";

struct AclGrant {
  enum class GranteeKind { kCanonicalUser, kGroup };
  GranteeKind kind = GranteeKind::kCanonicalUser;
  std::string grantee;  // the canonical user id (64 hex digits) or the group's URI
  AclPermission permission = AclPermission::kRead;

  friend bool operator==(const AclGrant&, const AclGrant&) = default;
};

struct AccessControlList {
  std::string owner_id;  // canonical user id of the bucket's or object's owner
  std::vector<AclGrant> grants;  // in the order they were given (Get*Acl returns that order)

  friend bool operator==(const AccessControlList&, const AccessControlList&) = default;
};

// "READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL" and back (nullopt for anything else).
std::string_view AclPermissionName(AclPermission permission);
std::optional<AclPermission> ParseAclPermission(std::string_view name);

// The ACL every bucket and object has unless told otherwise: its owner with FULL_CONTROL.
AccessControlList OwnerFullControl(std::string owner_id);

// Whether an ACL is public by S3's definition: it grants anything to AllUsers or to
// AuthenticatedUsers (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
bool IsPublic(const AccessControlList& acl);

// The storage form: "" for OwnerFullControl(default_owner) (so rows of the common case stay
// empty), else a versioned line format (docs/formats/data-dir.md, "ACLs").
std::string EncodeAcl(const AccessControlList& acl, std::string_view default_owner);
// nullopt when `bytes` is corrupt; "" decodes to OwnerFullControl(default_owner).
std::optional<AccessControlList> DecodeAcl(std::string_view bytes, std::string_view default_owner);

}  // namespace kura::s3
