// ACLs in authorization against the memory store: AWS's mapping of ACL permissions to actions,
// who a grant reaches, and what AclGrantSource finds (the bucket's ACL, ownership and Block
// Public Access from BucketPolicyCache, an object version's ACL from the store).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "s3/acl_grant_source.h"
#include "s3/response.h"
#include "tests/s3/handler_harness.h"

namespace kura::s3 {
namespace {

using kura::testing::RunToEnd;

constexpr char kBucket[] = "bucket";
constexpr char kAccount[] = "123456789012";  // the harness's account

Principal Anonymous() { return Principal{}; }

Principal User() {
  Principal p;
  p.type = PrincipalType::kUser;
  p.account_id = kAccount;
  p.arn = "arn:aws:iam::123456789012:user/alice";
  p.user_name = "alice";
  return p;
}

Principal Root(std::string account = kAccount) {
  Principal p;
  p.type = PrincipalType::kRoot;
  p.account_id = account;
  p.arn = "arn:aws:iam::" + account + ":root";
  return p;
}

AccessControlList WithGrant(std::string_view group, AclPermission permission) {
  AccessControlList acl = OwnerFullControl(CanonicalUserId(kAccount));
  acl.grants.push_back({AclGrant::GranteeKind::kGroup, std::string(group), permission});
  return acl;
}

class AclGrants : public testing::HandlerHarness {
 protected:
  AclGrants() {
    EXPECT_TRUE(CreateBucket(kBucket).has_value());
    Update([](store::BucketRecord& b) { b.owner_id = CanonicalUserId(kAccount); });
  }

  void Update(std::function<void(store::BucketRecord&)> change) {
    ASSERT_TRUE(RunToEnd(io_, store::StoreWrite<void>([&](auto done) {
      metadata_.UpdateBucket(kBucket,
                             [&](store::BucketRecord& b) -> Result<void> {
                               change(b);
                               return Ok();
                             },
                             std::move(done));
    })));
    bucket_policies_.Refresh(kBucket);
  }

  // Writes `key` (version "v1" when `version` is set) with `acl` straight into the store.
  void PutObjectWithAcl(std::string key, const AccessControlList& acl, std::string version = "") {
    store::ObjectRecord object;
    object.bucket = kBucket;
    object.key = std::move(key);
    if (!version.empty()) object.version_id = std::move(version);
    object.last_modified = clock_.Now();
    object.acl = EncodeAcl(acl, CanonicalUserId(kAccount));
    ASSERT_TRUE(RunToEnd(io_, store::StoreWrite<store::PutOutcome>([&](auto done) {
      metadata_.PutObject(object, {}, store::LockContext{clock_.Now()}, std::move(done));
    })));
  }

  bool Grants(const Principal& principal, std::string_view action, std::string_view resource,
              std::string_view version_id = "") {
    policy::RequestAttributes facts;
    facts.version_id = version_id;
    return acls_.AclGrants(principal, action, resource, facts);
  }

  AclGrantSource acls_{bucket_policies_, metadata_};
};

TEST(AclRequirement, FollowsAwsMappingOfAclPermissionsToActions) {
  using Level = AclRequirement::Level;
  auto is = [](std::string_view action, Level level, AclPermission permission) {
    auto r = AclRequirementFor(action);
    return r && r->level == level && r->permission == permission;
  };
  EXPECT_TRUE(is("s3:ListBucket", Level::kBucket, AclPermission::kRead));
  EXPECT_TRUE(is("s3:ListBucketVersions", Level::kBucket, AclPermission::kRead));
  EXPECT_TRUE(is("s3:ListBucketMultipartUploads", Level::kBucket, AclPermission::kRead));
  EXPECT_TRUE(is("s3:PutObject", Level::kBucket, AclPermission::kWrite));
  EXPECT_TRUE(is("s3:DeleteObject", Level::kBucket, AclPermission::kWrite));
  EXPECT_TRUE(is("s3:GetBucketAcl", Level::kBucket, AclPermission::kReadAcp));
  EXPECT_TRUE(is("s3:PutBucketAcl", Level::kBucket, AclPermission::kWriteAcp));
  EXPECT_TRUE(is("s3:GetObject", Level::kObject, AclPermission::kRead));
  EXPECT_TRUE(is("S3:GETOBJECTVERSION", Level::kObject, AclPermission::kRead));
  EXPECT_TRUE(is("s3:GetObjectAcl", Level::kObject, AclPermission::kReadAcp));
  EXPECT_TRUE(is("s3:GetObjectVersionAcl", Level::kObject, AclPermission::kReadAcp));
  EXPECT_TRUE(is("s3:PutObjectAcl", Level::kObject, AclPermission::kWriteAcp));
  EXPECT_TRUE(is("s3:PutObjectVersionAcl", Level::kObject, AclPermission::kWriteAcp));
  for (const char* none : {"s3:PutBucketPolicy", "s3:GetObjectTagging", "s3:DeleteBucket",
                           "s3:PutObjectRetention", "s3:*", "iam:GetUser"}) {
    EXPECT_FALSE(AclRequirementFor(none).has_value()) << none;
  }
}

TEST(AclGrantsPermission, GranteesAndFullControl) {
  AccessControlList acl = WithGrant(kAuthenticatedUsersGroup, AclPermission::kRead);
  EXPECT_TRUE(AclGrantsPermission(acl, User(), AclPermission::kRead, false));
  EXPECT_FALSE(AclGrantsPermission(acl, Anonymous(), AclPermission::kRead, false));
  EXPECT_FALSE(AclGrantsPermission(acl, User(), AclPermission::kReadAcp, false));
  EXPECT_FALSE(AclGrantsPermission(acl, User(), AclPermission::kRead, true));  // IgnorePublicAcls
  acl = WithGrant(kAllUsersGroup, AclPermission::kFullControl);
  EXPECT_TRUE(AclGrantsPermission(acl, Anonymous(), AclPermission::kWriteAcp, false));
  // A grant to an account: its root, not its IAM users (they need identity policies).
  acl = OwnerFullControl(CanonicalUserId("444455556666"));
  EXPECT_TRUE(AclGrantsPermission(acl, Root("444455556666"), AclPermission::kRead, false));
  EXPECT_FALSE(AclGrantsPermission(acl, Root(), AclPermission::kRead, false));
  EXPECT_FALSE(AclGrantsPermission(acl, User(), AclPermission::kRead, false));
  acl = WithGrant(kLogDeliveryGroup, AclPermission::kWrite);
  EXPECT_FALSE(AclGrantsPermission(acl, User(), AclPermission::kWrite, false));
}

TEST_F(AclGrants, APublicReadObjectIsReadableByAnyoneOnlyWhileAclsAreEnabled) {
  PutObjectWithAcl("public", WithGrant(kAllUsersGroup, AclPermission::kRead));
  PutObjectWithAcl("private", OwnerFullControl(CanonicalUserId(kAccount)));
  // BucketOwnerEnforced (new buckets' default): ACLs grant nothing.
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObject", "arn:aws:s3:::bucket/public"));
  EXPECT_EQ(bucket_policies_.Access(kBucket), nullptr);  // nothing held for such a bucket
  Update([](store::BucketRecord& b) { b.object_ownership = store::ObjectOwnership::kObjectWriter; });
  EXPECT_TRUE(Grants(Anonymous(), "s3:GetObject", "arn:aws:s3:::bucket/public"));
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObjectAcl", "arn:aws:s3:::bucket/public"));
  EXPECT_FALSE(Grants(Anonymous(), "s3:PutObject", "arn:aws:s3:::bucket/public"));
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObject", "arn:aws:s3:::bucket/private"));
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObject", "arn:aws:s3:::bucket/missing"));
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObject", "arn:aws:s3:::other/public"));
  Update([](store::BucketRecord& b) {
    b.public_access_block = {.configured = true, .ignore_public_acls = true};
  });
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObject", "arn:aws:s3:::bucket/public"));
  Update([](store::BucketRecord& b) { b.object_ownership = store::ObjectOwnership::kNone; });
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObject", "arn:aws:s3:::bucket/public"));
  Update([](store::BucketRecord& b) { b.public_access_block = {}; });
  EXPECT_TRUE(Grants(Anonymous(), "s3:GetObject", "arn:aws:s3:::bucket/public"));
}

TEST_F(AclGrants, TheBucketAclGrantsListingAndWritingObjects) {
  Update([](store::BucketRecord& b) {
    b.object_ownership = store::ObjectOwnership::kBucketOwnerPreferred;
    AccessControlList acl = WithGrant(kAuthenticatedUsersGroup, AclPermission::kWrite);
    acl.grants.push_back({AclGrant::GranteeKind::kGroup, std::string(kAllUsersGroup), AclPermission::kRead});
    b.acl = EncodeAcl(acl, b.owner_id);
  });
  EXPECT_TRUE(Grants(Anonymous(), "s3:ListBucket", "arn:aws:s3:::bucket"));
  EXPECT_FALSE(Grants(Anonymous(), "s3:PutObject", "arn:aws:s3:::bucket/k"));
  EXPECT_TRUE(Grants(User(), "s3:PutObject", "arn:aws:s3:::bucket/k"));
  EXPECT_TRUE(Grants(User(), "s3:DeleteObject", "arn:aws:s3:::bucket/k"));
  EXPECT_FALSE(Grants(User(), "s3:DeleteObjectVersion", "arn:aws:s3:::bucket/k"));
  EXPECT_FALSE(Grants(User(), "s3:GetBucketAcl", "arn:aws:s3:::bucket"));
  // Bucket READ lists; it does not read the objects (their own ACLs decide).
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObject", "arn:aws:s3:::bucket/k"));
}

TEST_F(AclGrants, AVersionsOwnAclDecidesForARequestNamingIt) {
  Update([](store::BucketRecord& b) {
    b.object_ownership = store::ObjectOwnership::kObjectWriter;
    b.versioning = store::VersioningState::kEnabled;
  });
  PutObjectWithAcl("k", WithGrant(kAllUsersGroup, AclPermission::kRead), "v1");
  PutObjectWithAcl("k", OwnerFullControl(CanonicalUserId(kAccount)), "v2");
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObject", "arn:aws:s3:::bucket/k"));  // v2, the latest
  EXPECT_TRUE(Grants(Anonymous(), "s3:GetObjectVersion", "arn:aws:s3:::bucket/k", "v1"));
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObjectVersion", "arn:aws:s3:::bucket/k", "v2"));
  EXPECT_FALSE(Grants(Anonymous(), "s3:GetObjectVersion", "arn:aws:s3:::bucket/k", "v9"));
}

}  // namespace
}  // namespace kura::s3
