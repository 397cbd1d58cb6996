// ParseGrantHeader on every input: a refusal must be one of its documented errors; what parses
// names only known grantees (this account's canonical id or a predefined group) and stays within
// the grant limit.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/limits.h"
#include "s3/acl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using kura::ErrorCode;
  const kura::s3::AclAccounts accounts{
      .canonical_id = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a",
      .display_name = "kura",
      .email = "owner@example.com"};
  std::string_view value(reinterpret_cast<const char*>(data), size);
  auto grants = kura::s3::ParseGrantHeader("x-amz-grant-read", kura::s3::AclPermission::kRead,
                                           value, accounts);
  if (!grants) {
    ErrorCode code = grants.error().code;
    if (code != ErrorCode::kInvalidArgument &&
        code != ErrorCode::kUnresolvableGrantByEmailAddress &&
        code != ErrorCode::kMalformedACLError) {
      std::abort();
    }
    return 0;
  }
  if (grants->empty() || grants->size() > kura::limits::kMaxAclGrants) std::abort();
  for (const kura::s3::AclGrant& grant : *grants) {
    bool user = grant.kind == kura::s3::AclGrant::GranteeKind::kCanonicalUser;
    if (user ? !accounts.Knows(grant.grantee)
             : grant.grantee != kura::s3::kAllUsersGroup &&
                   grant.grantee != kura::s3::kAuthenticatedUsersGroup &&
                   grant.grantee != kura::s3::kLogDeliveryGroup) {
      std::abort();
    }
  }
  return 0;
}
