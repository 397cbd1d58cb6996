#include "s3/access_control_list.h"

#include <gtest/gtest.h>

namespace kura::s3 {
namespace {

const std::string kOwner(64, 'a');
const std::string kOther(64, 'b');

TEST(AccessControlList, OwnerFullControlEncodesAsEmpty) {
  EXPECT_EQ(EncodeAcl(OwnerFullControl(kOwner), kOwner), "");
  EXPECT_EQ(DecodeAcl("", kOwner), OwnerFullControl(kOwner));
}

TEST(AccessControlList, RoundTripsOwnerAndGrantsInOrder) {
  AccessControlList acl = OwnerFullControl(kOther);
  acl.grants.push_back({AclGrant::GranteeKind::kGroup, std::string(kAllUsersGroup), AclPermission::kRead});
  acl.grants.push_back({AclGrant::GranteeKind::kCanonicalUser, kOwner, AclPermission::kReadAcp});
  std::string encoded = EncodeAcl(acl, kOwner);
  ASSERT_FALSE(encoded.empty());
  EXPECT_EQ(DecodeAcl(encoded, kOwner), acl);
}

TEST(AccessControlList, AnotherOwnerIsNotTheDefault) {
  AccessControlList acl = OwnerFullControl(kOther);
  EXPECT_NE(EncodeAcl(acl, kOwner), "");
  EXPECT_EQ(DecodeAcl(EncodeAcl(acl, kOwner), kOwner), acl);
}

TEST(AccessControlList, RejectsCorruptBytes) {
  EXPECT_FALSE(DecodeAcl("acl2\n" + kOwner, kOwner));
  EXPECT_FALSE(DecodeAcl("acl1\n", kOwner));
  EXPECT_FALSE(DecodeAcl("acl1\n" + kOwner + "\nx READ " + kOther, kOwner));
  EXPECT_FALSE(DecodeAcl("acl1\n" + kOwner + "\nu READ_ALL " + kOther, kOwner));
  EXPECT_FALSE(DecodeAcl("acl1\n" + kOwner + "\nu READ ", kOwner));
  EXPECT_FALSE(DecodeAcl("acl1\n" + kOwner + "\nu", kOwner));
}

TEST(AccessControlList, PublicMeansAllUsersOrAuthenticatedUsers) {
  AccessControlList acl = OwnerFullControl(kOwner);
  EXPECT_FALSE(IsPublic(acl));
  acl.grants.push_back({AclGrant::GranteeKind::kGroup, std::string(kLogDeliveryGroup), AclPermission::kWrite});
  EXPECT_FALSE(IsPublic(acl));
  acl.grants.push_back({AclGrant::GranteeKind::kGroup, std::string(kAuthenticatedUsersGroup), AclPermission::kReadAcp});
  EXPECT_TRUE(IsPublic(acl));
}

TEST(AccessControlList, PermissionNamesRoundTrip) {
  for (auto p : {AclPermission::kRead, AclPermission::kWrite, AclPermission::kReadAcp,
                 AclPermission::kWriteAcp, AclPermission::kFullControl}) {
    EXPECT_EQ(ParseAclPermission(AclPermissionName(p)), p);
  }
  EXPECT_FALSE(ParseAclPermission("read"));
}

}  // namespace
}  // namespace kura::s3
