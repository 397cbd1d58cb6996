// The ACL request forms (canned ACLs, x-amz-grant-* headers, AccessControlPolicy bodies), the
// Object Ownership and Block Public Access rules ResolveAcl applies, and the GetBucketAcl /
// GetObjectAcl document.
#include "s3/acl.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kura::s3 {
namespace {

using Kind = AclGrant::GranteeKind;
using store::ObjectOwnership;

const std::string kOwner(64, 'a');   // this account
const std::string kWriter(64, 'b');  // another account (a writer in another account's bucket)
const AclAccounts kAccounts{
    .canonical_id = kOwner, .display_name = "kura-owner", .email = "Owner@Example.com"};
constexpr char kXsi[] = R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance")";

AclGrant User(const std::string& id, AclPermission permission) {
  return {Kind::kCanonicalUser, id, permission};
}
AclGrant Group(std::string_view uri, AclPermission permission) {
  return {Kind::kGroup, std::string(uri), permission};
}

std::string CodeOf(const Error& error) { return std::string(error.aws_code()); }

AclTarget Target(AclWrite write, ObjectOwnership ownership) {
  return AclTarget{.write = write,
                   .writer_id = kOwner,
                   .bucket_owner_id = kOwner,
                   .object_owner_id = kOwner,
                   .ownership = ownership,
                   .block_public_acls = false};
}

std::string Policy(const std::string& owner, const std::string& grants) {
  return R"(<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>)" +
         owner + "</ID></Owner><AccessControlList>" + grants +
         "</AccessControlList></AccessControlPolicy>";
}

std::string BodyGrant(const std::string& type, const std::string& grantee,
                      const std::string& permission) {
  return std::string("<Grant><Grantee ") + kXsi + " xsi:type=\"" + type + "\">" + grantee +
         "</Grantee><Permission>" + permission + "</Permission></Grant>";
}

TEST(CannedAcl, ExpandsEachCannedAclWithTheOwnerFirst) {
  auto acl = [](std::string_view name, bool for_bucket = false) {
    auto result = CannedAcl(name, for_bucket, kWriter, kOwner);
    EXPECT_TRUE(result) << name;
    return result ? result->grants : std::vector<AclGrant>{};
  };
  const AclGrant owner = User(kWriter, AclPermission::kFullControl);
  EXPECT_EQ(acl("private"), (std::vector<AclGrant>{owner}));
  EXPECT_EQ(acl("public-read"),
            (std::vector<AclGrant>{owner, Group(kAllUsersGroup, AclPermission::kRead)}));
  EXPECT_EQ(acl("public-read-write"),
            (std::vector<AclGrant>{owner, Group(kAllUsersGroup, AclPermission::kRead),
                                   Group(kAllUsersGroup, AclPermission::kWrite)}));
  EXPECT_EQ(acl("authenticated-read"),
            (std::vector<AclGrant>{owner, Group(kAuthenticatedUsersGroup, AclPermission::kRead)}));
  EXPECT_EQ(acl("bucket-owner-read"),
            (std::vector<AclGrant>{owner, User(kOwner, AclPermission::kRead)}));
  EXPECT_EQ(acl("bucket-owner-full-control"),
            (std::vector<AclGrant>{owner, User(kOwner, AclPermission::kFullControl)}));
  EXPECT_EQ(acl("log-delivery-write", /*for_bucket=*/true),
            (std::vector<AclGrant>{owner, Group(kLogDeliveryGroup, AclPermission::kWrite),
                                   Group(kLogDeliveryGroup, AclPermission::kReadAcp)}));
}

TEST(CannedAcl, BucketOwnerGrantsAddNothingWhenTheOwnerIsTheBucketOwner) {
  EXPECT_EQ(*CannedAcl("bucket-owner-full-control", false, kOwner, kOwner),
            OwnerFullControl(kOwner));
  EXPECT_EQ(*CannedAcl("bucket-owner-read", true, kOwner, kOwner), OwnerFullControl(kOwner));
}

TEST(CannedAcl, RefusesUnknownNamesAndLogDeliveryWriteOnObjects) {
  EXPECT_EQ(CodeOf(CannedAcl("log-delivery-write", false, kOwner, kOwner).error()),
            "InvalidArgument");
  auto bogus = CannedAcl("world-writable", false, kOwner, kOwner);
  ASSERT_FALSE(bogus);
  EXPECT_EQ(CodeOf(bogus.error()), "InvalidArgument");
  EXPECT_EQ(bogus.error().details[0],
            (std::pair<std::string, std::string>{"ArgumentName", "x-amz-acl"}));
  EXPECT_EQ(CodeOf(CannedAcl("aws-exec-read", false, kOwner, kOwner).error()), "NotImplemented");
}

TEST(GrantHeader, ReadsIdsUrisAndEmailAddressesInOrder) {
  auto grants =
      ParseGrantHeader("x-amz-grant-read", AclPermission::kRead,
                       R"(uri="http://acs.amazonaws.com/groups/global/AllUsers", id=")" + kOwner +
                           R"(",emailAddress="owner@example.COM" , ID=)" + kOwner,
                       kAccounts);
  ASSERT_TRUE(grants) << grants.error().message;
  EXPECT_EQ(*grants,
            (std::vector<AclGrant>{
                Group(kAllUsersGroup, AclPermission::kRead), User(kOwner, AclPermission::kRead),
                User(kOwner, AclPermission::kRead), User(kOwner, AclPermission::kRead)}));
}

TEST(GrantHeader, RefusesWhatS3Refuses) {
  auto code = [](std::string_view value) {
    auto grants = ParseGrantHeader("x-amz-grant-write", AclPermission::kWrite, value, kAccounts);
    return grants ? std::string("OK") : CodeOf(grants.error());
  };
  EXPECT_EQ(code("somebody"), "InvalidArgument");
  EXPECT_EQ(code("name=\"x\""), "InvalidArgument");
  EXPECT_EQ(code("id=\"\""), "InvalidArgument");
  EXPECT_EQ(code("id=\"" + kOwner + "\","), "InvalidArgument");
  EXPECT_EQ(code("uri=\"http://acs.amazonaws.com/groups/global/Everybody\""), "InvalidArgument");
  EXPECT_EQ(code("emailAddress=\"stranger@example.com\""), "UnresolvableGrantByEmailAddress");
  auto unknown = ParseGrantHeader("x-amz-grant-write", AclPermission::kWrite,
                                  "id=\"" + kWriter + "\"", kAccounts);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "Invalid id");
  EXPECT_EQ(unknown.error().details,
            (std::vector<std::pair<std::string, std::string>>{{"ArgumentName", "CanonicalUser/ID"},
                                                              {"ArgumentValue", kWriter}}));
}

TEST(AccessControlPolicyBody, ReadsTheThreeGranteeTypesAsBoto3SendsThem) {
  std::string body = Policy(
      kOwner,
      BodyGrant("CanonicalUser", "<ID>" + kOwner + "</ID><DisplayName>x</DisplayName>",
                "FULL_CONTROL") +
          BodyGrant("Group", "<URI>http://acs.amazonaws.com/groups/global/AuthenticatedUsers</URI>",
                    "READ") +
          BodyGrant("AmazonCustomerByEmail", "<EmailAddress>owner@example.com</EmailAddress>",
                    "WRITE_ACP"));
  auto acl = ParseAccessControlPolicy(body, kAccounts);
  ASSERT_TRUE(acl) << acl.error().message;
  EXPECT_EQ(acl->owner_id, kOwner);
  EXPECT_EQ(acl->grants,
            (std::vector<AclGrant>{User(kOwner, AclPermission::kFullControl),
                                   Group(kAuthenticatedUsersGroup, AclPermission::kRead),
                                   User(kOwner, AclPermission::kWriteAcp)}));
  auto empty = ParseAccessControlPolicy(Policy(kOwner, ""), kAccounts);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->grants.empty());
}

TEST(AccessControlPolicyBody, RefusesWhatS3Refuses) {
  auto code = [](const std::string& body) {
    auto acl = ParseAccessControlPolicy(body, kAccounts);
    return acl ? std::string("OK") : CodeOf(acl.error());
  };
  std::string user = "<ID>" + kOwner + "</ID>";
  EXPECT_EQ(code(Policy("", BodyGrant("CanonicalUser", user, "READ"))), "MalformedACLError");
  EXPECT_EQ(code(Policy(kOwner, BodyGrant("CanonicalUser", user, "EVERYTHING"))),
            "MalformedACLError");
  EXPECT_EQ(code(Policy(kOwner, BodyGrant("Robot", user, "READ"))), "MalformedACLError");
  EXPECT_EQ(code(Policy(kOwner, BodyGrant("Group", user, "READ"))), "MalformedACLError");
  EXPECT_EQ(code(Policy(kOwner, "<Grant><Grantee>" + user +
                                    "</Grantee><Permission>READ</Permission></Grant>")),
            "MalformedACLError");
  EXPECT_EQ(code(Policy(kOwner, "<Permission>READ</Permission>")), "MalformedACLError");
  EXPECT_EQ(code(Policy(kWriter, "")), "InvalidArgument");
  EXPECT_EQ(code(Policy(kOwner, BodyGrant("CanonicalUser", "<ID>_foo</ID>", "READ"))),
            "InvalidArgument");
  EXPECT_EQ(code(Policy(kOwner, BodyGrant("Group", "<URI>http://example.com/g</URI>", "READ"))),
            "InvalidArgument");
  EXPECT_EQ(code(Policy(kOwner, BodyGrant("AmazonCustomerByEmail",
                                          "<EmailAddress>a@b.c</EmailAddress>", "READ"))),
            "UnresolvableGrantByEmailAddress");
  std::string many;
  for (int i = 0; i < 101; ++i) many += BodyGrant("CanonicalUser", user, "READ");
  EXPECT_EQ(code(Policy(kOwner, many)), "MalformedACLError");
}

TEST(ResolveAcl, TakesOneFormOnly) {
  AclTarget target = Target(AclWrite::kBucketAcl, ObjectOwnership::kObjectWriter);
  AclRequest both{
      .canned = "private", .grant_headers = {{AclPermission::kRead, "id=x"}}, .body = ""};
  auto refused = ResolveAcl(both, target, kAccounts);
  ASSERT_FALSE(refused);
  EXPECT_EQ(CodeOf(refused.error()), "InvalidRequest");
  EXPECT_EQ(refused.error().message,
            "Specifying both Canned ACLs and Header Grants is not allowed");
  const std::string body = Policy(kOwner, "");
  AclRequest with_body{.canned = "private", .grant_headers = {}, .body = body};
  EXPECT_EQ(CodeOf(ResolveAcl(with_body, target, kAccounts).error()), "UnexpectedContent");
}

TEST(ResolveAcl, NothingAskedIsTheOwnersFullControl) {
  auto acl = ResolveAcl(
      AclRequest{}, Target(AclWrite::kNewObject, ObjectOwnership::kBucketOwnerEnforced), kAccounts);
  ASSERT_TRUE(acl);
  EXPECT_EQ(*acl, OwnerFullControl(kOwner));
}

TEST(ResolveAcl, GrantHeadersGiveExactlyWhatTheyList) {
  const std::string owner = "id=\"" + kOwner + "\"";
  AclRequest request{.canned = "",
                     .grant_headers = {{AclPermission::kWrite,
                                        "uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\""},
                                       {AclPermission::kReadAcp, owner}},
                     .body = ""};
  auto acl = ResolveAcl(
      request, Target(AclWrite::kBucketAcl, ObjectOwnership::kBucketOwnerPreferred), kAccounts);
  ASSERT_TRUE(acl) << acl.error().message;
  EXPECT_EQ(acl->grants, (std::vector<AclGrant>{Group(kLogDeliveryGroup, AclPermission::kWrite),
                                                User(kOwner, AclPermission::kReadAcp)}));
}

TEST(ResolveAcl, BucketOwnerEnforcedAcceptsOnlyTheBucketOwnersFullControl) {
  auto code = [](AclWrite write, const AclRequest& request) {
    auto acl = ResolveAcl(request, Target(write, ObjectOwnership::kBucketOwnerEnforced), kAccounts);
    return acl ? std::string("OK") : CodeOf(acl.error());
  };
  for (AclWrite write : {AclWrite::kNewObject, AclWrite::kObjectAcl, AclWrite::kBucketAcl,
                         AclWrite::kCreateBucket}) {
    EXPECT_EQ(code(write, {.canned = "private"}), "OK");
    EXPECT_EQ(code(write, {.canned = "bucket-owner-full-control"}), "OK");
    EXPECT_EQ(code(write, {.grant_headers = {{AclPermission::kFullControl, "id=" + kOwner}}}),
              "OK");
  }
  std::string owner_only =
      Policy(kOwner, BodyGrant("CanonicalUser", "<ID>" + kOwner + "</ID>", "FULL_CONTROL"));
  EXPECT_EQ(code(AclWrite::kBucketAcl, {.body = owner_only}), "OK");
  EXPECT_EQ(code(AclWrite::kBucketAcl, {.body = Policy(kOwner, "")}),
            "AccessControlListNotSupported");
  EXPECT_EQ(code(AclWrite::kNewObject, {.canned = "public-read"}), "AccessControlListNotSupported");
  EXPECT_EQ(code(AclWrite::kObjectAcl, {.grant_headers = {{AclPermission::kRead, "id=" + kOwner}}}),
            "AccessControlListNotSupported");
  EXPECT_EQ(code(AclWrite::kCreateBucket, {.canned = "public-read"}),
            "InvalidBucketAclWithObjectOwnership");
  EXPECT_EQ(code(AclWrite::kCreateBucket, {.canned = "log-delivery-write"}),
            "InvalidBucketAclWithObjectOwnership");
}

TEST(ResolveAcl, OwnershipDecidesWhoOwnsANewObject) {
  AclTarget target = Target(AclWrite::kNewObject, ObjectOwnership::kBucketOwnerPreferred);
  target.writer_id = kWriter;
  auto preferred = ResolveAcl({.canned = "bucket-owner-full-control"}, target, kAccounts);
  ASSERT_TRUE(preferred);
  EXPECT_EQ(*preferred, OwnerFullControl(kOwner));
  auto written = ResolveAcl({.canned = "public-read"}, target, kAccounts);
  ASSERT_TRUE(written);
  EXPECT_EQ(written->owner_id, kWriter);
  for (ObjectOwnership ownership : {ObjectOwnership::kObjectWriter, ObjectOwnership::kNone}) {
    target.ownership = ownership;
    auto acl = ResolveAcl({.canned = "bucket-owner-full-control"}, target, kAccounts);
    ASSERT_TRUE(acl);
    EXPECT_EQ(acl->owner_id, kWriter);
    EXPECT_EQ(acl->grants, (std::vector<AclGrant>{User(kWriter, AclPermission::kFullControl),
                                                  User(kOwner, AclPermission::kFullControl)}));
  }
}

TEST(ResolveAcl, ABodyCannotGiveTheResourceAway) {
  AclTarget target = Target(AclWrite::kObjectAcl, ObjectOwnership::kObjectWriter);
  target.object_owner_id = kWriter;
  auto refused = ResolveAcl({.body = Policy(kOwner, "")}, target, kAccounts);
  ASSERT_FALSE(refused);
  EXPECT_EQ(CodeOf(refused.error()), "AccessDenied");
}

TEST(ResolveAcl, BlockPublicAclsRefusesPublicAclsOnly) {
  AclTarget target = Target(AclWrite::kNewObject, ObjectOwnership::kObjectWriter);
  target.block_public_acls = true;
  EXPECT_EQ(CodeOf(ResolveAcl({.canned = "public-read"}, target, kAccounts).error()),
            "AccessDenied");
  EXPECT_EQ(CodeOf(ResolveAcl({.canned = "authenticated-read"}, target, kAccounts).error()),
            "AccessDenied");
  EXPECT_TRUE(ResolveAcl({.canned = "bucket-owner-read"}, target, kAccounts));
  target.write = AclWrite::kBucketAcl;
  EXPECT_TRUE(ResolveAcl({.canned = "log-delivery-write"}, target, kAccounts));
}

TEST(AccessControlPolicyXml, RendersOwnerAndGrantsAsS3Does) {
  AccessControlList acl = OwnerFullControl(kOwner);
  acl.grants.push_back(Group(kAllUsersGroup, AclPermission::kRead));
  acl.grants.push_back(User(kWriter, AclPermission::kWrite));
  EXPECT_EQ(RenderAccessControlPolicy(acl, kAccounts),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Owner><ID>" +
                kOwner +
                "</ID><DisplayName>kura-owner</DisplayName></Owner>"
                "<AccessControlList>"
                "<Grant><Grantee " +
                kXsi + " xsi:type=\"CanonicalUser\"><ID>" + kOwner +
                "</ID><DisplayName>kura-owner</DisplayName></Grantee><Permission>FULL_CONTROL</"
                "Permission></Grant>"
                "<Grant><Grantee " +
                kXsi +
                " xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers"
                "</URI></Grantee><Permission>READ</Permission></Grant>"
                "<Grant><Grantee " +
                kXsi + " xsi:type=\"CanonicalUser\"><ID>" + kWriter +
                "</ID></Grantee><Permission>WRITE</Permission></Grant>"
                "</AccessControlList></AccessControlPolicy>");
}

TEST(AccessControlPolicyXml, WhatItRendersParsesBack) {
  AccessControlList acl = OwnerFullControl(kOwner);
  acl.grants.push_back(Group(kLogDeliveryGroup, AclPermission::kReadAcp));
  auto parsed = ParseAccessControlPolicy(RenderAccessControlPolicy(acl, kAccounts), kAccounts);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, acl);
}

}  // namespace
}  // namespace kura::s3
