#include "s3/acl.h"

#include <pugixml.hpp>

#include "common/limits.h"
#include "common/text.h"
#include "common/xml_writer.h"
#include "s3/xml_body.h"

namespace kura::s3 {
namespace {

using Kind = AclGrant::GranteeKind;

struct GrantHeader {
  AclPermission permission;
  std::string_view name;
};
constexpr GrantHeader kGrantHeaders[] = {
    {AclPermission::kRead, "x-amz-grant-read"},
    {AclPermission::kWrite, "x-amz-grant-write"},
    {AclPermission::kReadAcp, "x-amz-grant-read-acp"},
    {AclPermission::kWriteAcp, "x-amz-grant-write-acp"},
    {AclPermission::kFullControl, "x-amz-grant-full-control"},
};

std::string_view GrantHeaderName(AclPermission permission) {
  for (const GrantHeader& header : kGrantHeaders) {
    if (header.permission == permission) return header.name;
  }
  return "";
}

Error InvalidArgument(std::string message, std::string_view name, std::string_view value) {
  Error error = MakeError(ErrorCode::kInvalidArgument, std::move(message));
  error.details = {{"ArgumentName", std::string(name)}, {"ArgumentValue", std::string(value)}};
  return error;
}

Error MalformedAcl() { return MakeError(ErrorCode::kMalformedACLError); }

Error TooManyGrants() {
  return MakeError(ErrorCode::kMalformedACLError,
                   "An ACL may hold at most " + std::to_string(limits::kMaxAclGrants) + " grants");
}

// Grantees, however given, are checked the same way: an id must name an account (S3's
// "Invalid id"), an e-mail address must resolve to one, a URI must be a predefined group.
Result<AclGrant> UserGrant(std::string_view id, AclPermission permission,
                           const AclAccounts& accounts) {
  if (!accounts.Knows(id)) return InvalidArgument("Invalid id", "CanonicalUser/ID", id);
  return AclGrant{Kind::kCanonicalUser, std::string(id), permission};
}

Result<AclGrant> EmailGrant(std::string_view email, AclPermission permission,
                            const AclAccounts& accounts) {
  auto id = accounts.IdOfEmail(email);
  if (!id) return id.error();
  return AclGrant{Kind::kCanonicalUser, std::move(*id), permission};
}

Result<AclGrant> GroupGrant(std::string_view uri, AclPermission permission) {
  if (uri != kAllUsersGroup && uri != kAuthenticatedUsersGroup && uri != kLogDeliveryGroup) {
    return InvalidArgument("Invalid group uri", "Group/URI", uri);
  }
  return AclGrant{Kind::kGroup, std::string(uri), permission};
}

std::string_view Unquoted(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

// One `type=grantee` item of a grant header; nullopt-like kInvalidArgument when unrecognized.
Result<AclGrant> HeaderGrant(std::string_view item, AclPermission permission,
                             const AclAccounts& accounts, const Error& unrecognized) {
  size_t equals = item.find('=');
  if (equals == std::string_view::npos) return unrecognized;
  std::string_view type = TrimAsciiWhitespace(item.substr(0, equals));
  std::string_view grantee = Unquoted(TrimAsciiWhitespace(item.substr(equals + 1)));
  if (grantee.empty()) return unrecognized;
  if (EqualsIgnoreAsciiCase(type, "id")) return UserGrant(grantee, permission, accounts);
  if (EqualsIgnoreAsciiCase(type, "emailAddress")) return EmailGrant(grantee, permission, accounts);
  if (EqualsIgnoreAsciiCase(type, "uri")) return GroupGrant(grantee, permission);
  return unrecognized;
}

// The value of a Grantee's xsi:type attribute, whatever prefix the document bound XSI to.
std::string_view XsiType(const pugi::xml_node& grantee) {
  for (const pugi::xml_attribute& attribute : grantee.attributes()) {
    std::string_view name = attribute.name();
    if (name == "type" || name.ends_with(":type")) return attribute.value();
  }
  return "";
}

std::string_view ChildText(const pugi::xml_node& node, const char* name) {
  return TrimAsciiWhitespace(node.child_value(name));
}

Result<AclGrant> BodyGrant(const pugi::xml_node& grant, const AclAccounts& accounts) {
  pugi::xml_node grantee = grant.child("Grantee");
  auto permission = ParseAclPermission(ChildText(grant, "Permission"));
  if (!grantee || !permission) return MalformedAcl();
  std::string_view type = XsiType(grantee);
  if (type == "CanonicalUser" && !ChildText(grantee, "ID").empty()) {
    return UserGrant(ChildText(grantee, "ID"), *permission, accounts);
  }
  if (type == "AmazonCustomerByEmail" && !ChildText(grantee, "EmailAddress").empty()) {
    return EmailGrant(ChildText(grantee, "EmailAddress"), *permission, accounts);
  }
  if (type == "Group" && !ChildText(grantee, "URI").empty()) {
    return GroupGrant(ChildText(grantee, "URI"), *permission);
  }
  return MalformedAcl();
}

Result<void> CheckOneForm(const AclRequest& request) {
  if (!request.canned.empty() && !request.grant_headers.empty()) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "Specifying both Canned ACLs and Header Grants is not allowed");
  }
  // S3 takes a Put*Acl's ACL from its headers or from its body, never both.
  if (!request.body.empty() && (!request.canned.empty() || !request.grant_headers.empty())) {
    return MakeError(ErrorCode::kUnexpectedContent);
  }
  return Ok();
}

bool ForBucket(AclWrite write) {
  return write == AclWrite::kCreateBucket || write == AclWrite::kBucketAcl;
}

// Who owns the resource once written. With BucketOwnerEnforced the bucket owner owns everything;
// BucketOwnerPreferred gives the bucket owner the objects written with bucket-owner-full-control;
// otherwise (ObjectWriter, controls deleted) the writer owns what it writes, and PutObjectAcl
// keeps the object's owner.
std::string OwnerOf(const AclRequest& request, const AclTarget& target) {
  if (ForBucket(target.write) || target.ownership == store::ObjectOwnership::kBucketOwnerEnforced) {
    return target.bucket_owner_id;
  }
  if (target.write == AclWrite::kObjectAcl) return target.object_owner_id;
  if (target.ownership == store::ObjectOwnership::kBucketOwnerPreferred &&
      request.canned == "bucket-owner-full-control") {
    return target.bucket_owner_id;
  }
  return target.writer_id;
}

Result<AccessControlList> AclOfRequest(const AclRequest& request, const AclTarget& target,
                                       const AclAccounts& accounts) {
  std::string owner = OwnerOf(request, target);
  if (!request.body.empty()) {
    auto acl = ParseAccessControlPolicy(request.body, accounts);
    if (!acl) return acl.error();
    // The Owner of a document cannot give the resource away.
    if (acl->owner_id != owner) return MakeError(ErrorCode::kAccessDenied);
    return acl;
  }
  if (request.grant_headers.empty()) {
    return CannedAcl(request.canned.empty() ? "private" : request.canned, ForBucket(target.write),
                     owner, target.bucket_owner_id);
  }
  // Grant headers give exactly the grants they list: the owner gets none it is not given.
  AccessControlList acl{.owner_id = owner, .grants = {}};
  for (const auto& [permission, value] : request.grant_headers) {
    auto grants = ParseGrantHeader(GrantHeaderName(permission), permission, value, accounts);
    if (!grants) return grants.error();
    acl.grants.insert(acl.grants.end(), grants->begin(), grants->end());
  }
  if (acl.grants.size() > limits::kMaxAclGrants) return TooManyGrants();
  return acl;
}

// BucketOwnerEnforced disables ACLs: S3 still accepts the ones that grant what the bucket owner
// has anyway (private, bucket-owner-full-control, or the same spelled out) and refuses the rest.
Result<void> CheckOwnership(const AccessControlList& acl, const AclTarget& target) {
  if (target.ownership != store::ObjectOwnership::kBucketOwnerEnforced) return Ok();
  if (acl == OwnerFullControl(target.bucket_owner_id)) return Ok();
  if (target.write == AclWrite::kCreateBucket) {
    return MakeError(ErrorCode::kInvalidBucketAclWithObjectOwnership);
  }
  return MakeError(ErrorCode::kAccessControlListNotSupported);
}

}  // namespace

bool AclAccounts::Knows(std::string_view id) const {
  if (id == canonical_id) return true;
  return directory != nullptr && directory->FindByCanonicalId(id).has_value();
}

Result<std::string> AclAccounts::IdOfEmail(std::string_view address) const {
  if (!email.empty() && EqualsIgnoreAsciiCase(address, email)) return canonical_id;
  if (directory != nullptr) {
    if (auto account = directory->FindByEmail(address)) return account->canonical_id;
  }
  return MakeError(ErrorCode::kUnresolvableGrantByEmailAddress);
}

std::string AclAccounts::DisplayNameOf(std::string_view id) const {
  if (id == canonical_id) return display_name;
  if (directory == nullptr) return {};
  auto account = directory->FindByCanonicalId(id);
  return account ? account->display_name : std::string();
}

std::optional<AclPermission> GrantHeaderPermission(std::string_view header_name) {
  for (const GrantHeader& header : kGrantHeaders) {
    if (EqualsIgnoreAsciiCase(header.name, header_name)) return header.permission;
  }
  return std::nullopt;
}

Result<AccessControlList> ResolveAcl(const AclRequest& request, const AclTarget& target,
                                     const AclAccounts& accounts) {
  KURA_TRY(CheckOneForm(request));
  auto acl = AclOfRequest(request, target, accounts);
  if (!acl) return acl.error();
  KURA_TRY(CheckOwnership(*acl, target));
  // Block Public Access: "PUT calls fail if the request includes a public ACL".
  if (target.block_public_acls && IsPublic(*acl)) return MakeError(ErrorCode::kAccessDenied);
  return acl;
}

Result<std::vector<AclGrant>> ParseGrantHeader(std::string_view header_name,
                                               AclPermission permission, std::string_view value,
                                               const AclAccounts& accounts) {
  const Error unrecognized = InvalidArgument("Argument format not recognized", header_name, value);
  std::vector<AclGrant> grants;
  std::string_view rest = value;
  while (true) {
    size_t comma = rest.find(',');
    auto grant = HeaderGrant(rest.substr(0, comma), permission, accounts, unrecognized);
    if (!grant) return grant.error();
    grants.push_back(std::move(*grant));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (grants.size() > limits::kMaxAclGrants) return TooManyGrants();
  return grants;
}

Result<AccessControlList> ParseAccessControlPolicy(std::string_view body,
                                                   const AclAccounts& accounts) {
  pugi::xml_document doc;
  // The body's text is data (an ID or e-mail address), read as every S3 XML body is.
  if (!doc.load_buffer(body.data(), body.size(), kXmlBodyParseOptions)) return MalformedAcl();
  pugi::xml_node root = doc.child("AccessControlPolicy");
  std::string_view owner = ChildText(root.child("Owner"), "ID");
  pugi::xml_node list = root.child("AccessControlList");
  if (owner.empty() || !list || list.next_sibling("AccessControlList")) return MalformedAcl();
  if (!accounts.Knows(owner)) return InvalidArgument("Invalid id", "CanonicalUser/ID", owner);
  AccessControlList acl{.owner_id = std::string(owner), .grants = {}};
  for (const pugi::xml_node& grant : list.children()) {
    if (grant.type() != pugi::node_element) continue;
    if (std::string_view(grant.name()) != "Grant") return MalformedAcl();
    if (acl.grants.size() == limits::kMaxAclGrants) return TooManyGrants();
    auto parsed = BodyGrant(grant, accounts);
    if (!parsed) return parsed.error();
    acl.grants.push_back(std::move(*parsed));
  }
  return acl;
}

Result<AccessControlList> CannedAcl(std::string_view name, bool for_bucket,
                                    const std::string& owner, const std::string& bucket_owner) {
  AccessControlList acl = OwnerFullControl(owner);
  auto grant = [&acl](Kind kind, std::string_view grantee, AclPermission permission) {
    acl.grants.push_back(AclGrant{kind, std::string(grantee), permission});
  };
  if (name == "private") return acl;
  if (name == "public-read" || name == "public-read-write") {
    grant(Kind::kGroup, kAllUsersGroup, AclPermission::kRead);
    if (name == "public-read-write") grant(Kind::kGroup, kAllUsersGroup, AclPermission::kWrite);
    return acl;
  }
  if (name == "authenticated-read") {
    grant(Kind::kGroup, kAuthenticatedUsersGroup, AclPermission::kRead);
    return acl;
  }
  if (name == "bucket-owner-read" || name == "bucket-owner-full-control") {
    AclPermission permission =
        name == "bucket-owner-read" ? AclPermission::kRead : AclPermission::kFullControl;
    if (bucket_owner != owner) grant(Kind::kCanonicalUser, bucket_owner, permission);
    return acl;
  }
  if (name == "log-delivery-write" && for_bucket) {
    grant(Kind::kGroup, kLogDeliveryGroup, AclPermission::kWrite);
    grant(Kind::kGroup, kLogDeliveryGroup, AclPermission::kReadAcp);
    return acl;
  }
  if (name == "aws-exec-read") {
    return MakeError(ErrorCode::kNotImplemented,
                     "A header you provided implies functionality that is not implemented: "
                     "x-amz-acl (aws-exec-read)");
  }
  return InvalidArgument("Invalid canned ACL", "x-amz-acl", name);
}

std::string RenderAccessControlPolicy(const AccessControlList& acl, const AclAccounts& accounts) {
  xml::Writer w("AccessControlPolicy", xml::kS3Namespace);
  w.Open("Owner").Element("ID", acl.owner_id);
  if (auto name = accounts.DisplayNameOf(acl.owner_id); !name.empty())
    w.Element("DisplayName", name);
  w.Close("Owner").Open("AccessControlList");
  for (const AclGrant& grant : acl.grants) {
    w.Open("Grant");
    if (grant.kind == Kind::kCanonicalUser) {
      w.Open(
          "Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xsi:type=\"CanonicalUser\"");
      w.Element("ID", grant.grantee);
      if (auto name = accounts.DisplayNameOf(grant.grantee); !name.empty())
        w.Element("DisplayName", name);
    } else {
      w.Open("Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"");
      w.Element("URI", grant.grantee);
    }
    w.Close("Grantee").Element("Permission", AclPermissionName(grant.permission)).Close("Grant");
  }
  w.Close("AccessControlList");
  return w.Finish();
}

}  // namespace kura::s3
