#include "s3/access_control_list.h"

#include <utility>

namespace kura::s3 {
namespace {

constexpr std::string_view kFormatVersion = "acl1";

struct PermissionName {
  AclPermission permission;
  std::string_view name;
};
constexpr PermissionName kPermissionNames[] = {
    {AclPermission::kRead, "READ"},           {AclPermission::kWrite, "WRITE"},
    {AclPermission::kReadAcp, "READ_ACP"},    {AclPermission::kWriteAcp, "WRITE_ACP"},
    {AclPermission::kFullControl, "FULL_CONTROL"},
};

// Splits off the text before the next '\n' (or the rest, when there is none).
std::string_view NextLine(std::string_view& rest) {
  size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return line;
}

// "u|g PERMISSION GRANTEE": the grantee last, so it may hold any byte but '\n'.
std::optional<AclGrant> DecodeGrant(std::string_view line) {
  size_t kind_end = line.find(' ');
  if (kind_end == std::string_view::npos) return std::nullopt;
  size_t permission_end = line.find(' ', kind_end + 1);
  if (permission_end == std::string_view::npos) return std::nullopt;
  std::string_view kind = line.substr(0, kind_end);
  auto permission = ParseAclPermission(line.substr(kind_end + 1, permission_end - kind_end - 1));
  std::string_view grantee = line.substr(permission_end + 1);
  if (!permission || grantee.empty() || (kind != "u" && kind != "g")) return std::nullopt;
  return AclGrant{kind == "u" ? AclGrant::GranteeKind::kCanonicalUser : AclGrant::GranteeKind::kGroup,
                  std::string(grantee), *permission};
}

}  // namespace

std::string_view AclPermissionName(AclPermission permission) {
  for (const PermissionName& entry : kPermissionNames) {
    if (entry.permission == permission) return entry.name;
  }
  return "";
}

std::optional<AclPermission> ParseAclPermission(std::string_view name) {
  for (const PermissionName& entry : kPermissionNames) {
    if (entry.name == name) return entry.permission;
  }
  return std::nullopt;
}

AccessControlList OwnerFullControl(std::string owner_id) {
  AccessControlList acl{.owner_id = owner_id, .grants = {}};
  acl.grants.push_back(AclGrant{AclGrant::GranteeKind::kCanonicalUser, std::move(owner_id),
                                AclPermission::kFullControl});
  return acl;
}

bool IsPublic(const AccessControlList& acl) {
  for (const AclGrant& grant : acl.grants) {
    if (grant.kind == AclGrant::GranteeKind::kGroup &&
        (grant.grantee == kAllUsersGroup || grant.grantee == kAuthenticatedUsersGroup)) {
      return true;
    }
  }
  return false;
}

std::string EncodeAcl(const AccessControlList& acl, std::string_view default_owner) {
  if (acl == OwnerFullControl(std::string(default_owner))) return "";
  std::string out(kFormatVersion);
  out += '\n';
  out += acl.owner_id;
  for (const AclGrant& grant : acl.grants) {
    out += '\n';
    out += grant.kind == AclGrant::GranteeKind::kCanonicalUser ? "u " : "g ";
    out += AclPermissionName(grant.permission);
    out += ' ';
    out += grant.grantee;
  }
  return out;
}

std::optional<AccessControlList> DecodeAcl(std::string_view bytes, std::string_view default_owner) {
  if (bytes.empty()) return OwnerFullControl(std::string(default_owner));
  std::string_view rest = bytes;
  if (NextLine(rest) != kFormatVersion) return std::nullopt;
  AccessControlList acl;
  acl.owner_id = std::string(NextLine(rest));
  if (acl.owner_id.empty()) return std::nullopt;
  while (!rest.empty()) {
    auto grant = DecodeGrant(NextLine(rest));
    if (!grant) return std::nullopt;
    acl.grants.push_back(std::move(*grant));
  }
  return acl;
}

}  // namespace kura::s3
