// S3's ACL API in its three request forms and its one response form, as pure functions: canned
// ACLs (x-amz-acl), grant headers (x-amz-grant-read: id="…", uri="…", emailAddress="…") and
// <AccessControlPolicy> bodies become an AccessControlList (access_control_list.h) through
// ResolveAcl, which also applies Object Ownership and Block Public Access;
// RenderAccessControlPolicy is what GetBucketAcl/GetObjectAcl answer. The handlers are in
// acl_handlers.h. Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
// (canned ACLs, grantees), PutBucketAcl/PutObjectAcl in the S3 API Reference, and
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "s3/access_control_list.h"
#include "s3/accounts.h"
#include "store/records.h"

namespace kura::s3 {

// The accounts an ACL may name: canonical ids are checked against them, e-mail grantees
// resolved by them, DisplayNames rendered from them. With `directory` set, every account it
// knows (#15); without, only the one account the other fields describe.
struct AclAccounts {
  std::string canonical_id;
  std::string display_name;
  std::string email;  // "" = no e-mail address resolves
  const AccountDirectory* directory = nullptr;  // borrowed

  bool Knows(std::string_view id) const;
  // kUnresolvableGrantByEmailAddress for an address that names no account.
  Result<std::string> IdOfEmail(std::string_view email) const;
  // "" for an id that names no account.
  std::string DisplayNameOf(std::string_view id) const;
};

// What a request says about the ACL to write; every part optional ("" / empty = not given).
struct AclRequest {
  std::string_view canned{};  // x-amz-acl (the "acl" field of a POST upload form)
  // x-amz-grant-* in the order given: the permission the header names, and its value.
  std::vector<std::pair<AclPermission, std::string_view>> grant_headers{};
  std::string_view body{};  // <AccessControlPolicy> (PutBucketAcl, PutObjectAcl)

  bool Empty() const { return canned.empty() && grant_headers.empty() && body.empty(); }
};

// The permission an x-amz-grant-* header name grants (any case); nullopt for another name.
std::optional<AclPermission> GrantHeaderPermission(std::string_view header_name);

// Which write an ACL is for; it decides the owner, the canned ACLs allowed and the error S3 gives
// when Object Ownership refuses the ACL.
enum class AclWrite {
  kCreateBucket,  // refused ACL: InvalidBucketAclWithObjectOwnership
  kBucketAcl,     // PutBucketAcl
  kNewObject,     // PutObject, CopyObject, CreateMultipartUpload, POST upload
  kObjectAcl,     // PutObjectAcl
};

struct AclTarget {
  AclWrite write = AclWrite::kNewObject;
  std::string writer_id{};        // canonical id of the account that sends the request
  std::string bucket_owner_id{};  // the bucket's owner (for kCreateBucket: the writer)
  std::string object_owner_id{};  // kObjectAcl: the object's owner, which PutObjectAcl keeps
  // The bucket's (for kCreateBucket: the requested) Object Ownership.
  store::ObjectOwnership ownership = store::ObjectOwnership::kBucketOwnerEnforced;
  bool block_public_acls = false;  // the bucket's Block Public Access BlockPublicAcls
};

// The ACL `request` asks for on `target`, from at most one of its forms (none: the owner's
// FULL_CONTROL). Errors, as S3 gives them: kInvalidRequest (canned ACL and grant headers
// together), kUnexpectedContent (a body with either), kInvalidArgument (unknown canned ACL,
// malformed grant header, unknown group, "Invalid id"), kMalformedACLError (a body that is not
// an AccessControlPolicy), kUnresolvableGrantByEmailAddress, kAccessDenied (a body whose Owner is
// not the resource's owner; a public ACL under BlockPublicAcls), and, when the ownership is
// BucketOwnerEnforced and the ACL is anything but the bucket owner's FULL_CONTROL,
// kInvalidBucketAclWithObjectOwnership (kCreateBucket) or kAccessControlListNotSupported.
// kNotImplemented for aws-exec-read (an EC2 grant kura has no account for).
Result<AccessControlList> ResolveAcl(const AclRequest& request, const AclTarget& target,
                                     const AclAccounts& accounts);

// The grants of one x-amz-grant-* header: comma-separated `id="…"`, `uri="…"`,
// `emailAddress="…"` (quotes optional). Errors as ResolveAcl's.
Result<std::vector<AclGrant>> ParseGrantHeader(std::string_view header_name,
                                               AclPermission permission, std::string_view value,
                                               const AclAccounts& accounts);

// An <AccessControlPolicy> document. Errors as ResolveAcl's (the Owner is returned as given,
// checked to be an account but not against the resource).
Result<AccessControlList> ParseAccessControlPolicy(std::string_view body,
                                                   const AclAccounts& accounts);

// The canned ACL `name` for a resource owned by `owner` in a bucket owned by `bucket_owner`.
// bucket-owner-read and bucket-owner-full-control add no grant when the two are one account (and
// so are "private" for a bucket, as S3 ignores them there); log-delivery-write is for buckets only.
Result<AccessControlList> CannedAcl(std::string_view name, bool for_bucket,
                                    const std::string& owner, const std::string& bucket_owner);

// GetBucketAcl / GetObjectAcl's document: Owner (ID, DisplayName), then the grants in their order;
// a CanonicalUser grantee with its ID and DisplayName, a Group grantee with its URI.
std::string RenderAccessControlPolicy(const AccessControlList& acl, const AclAccounts& accounts);

}  // namespace kura::s3
