// The ACL and Object Ownership operations and the writes that take an ACL, run through
// s3::Dispatch against the memory store: what each stores, what Get*Acl then reports, and what
// Object Ownership and Block Public Access refuse.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "s3/access_control_list.h"
#include "s3/response.h"
#include "tests/s3/handler_harness.h"

namespace kura::s3 {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr char kAllUsersRead[] =
    "<URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</"
    "Permission>";

class AclHandlers : public testing::HandlerHarness {
 protected:
  testing::HarnessAnswer Call(bhttp::verb method, std::string target, Headers headers = {},
                              std::string body = "") {
    testing::HarnessRequest r;
    r.method = method;
    r.target = std::move(target);
    r.headers = std::move(headers);
    r.body = std::move(body);
    return Run(r);
  }
  static std::string CodeOf(const testing::HarnessAnswer& answer) {
    return answer.result ? "OK" : std::string(answer.result.error().aws_code());
  }
  // Creates `name` through CreateBucket with the given Object Ownership.
  void CreateOwnedBucket(const std::string& name, std::string_view ownership, Headers more = {}) {
    more.emplace_back("x-amz-object-ownership", std::string(ownership));
    auto created = Call(bhttp::verb::put, "/" + name, std::move(more));
    ASSERT_EQ(CodeOf(created), "OK");
  }
  std::string Body(const testing::HarnessAnswer& answer) {
    EXPECT_EQ(CodeOf(answer), "OK");
    return answer.response.sent_body;
  }
  std::string OwnerId() const { return CanonicalUserId(env_.account_id); }
  int CountOf(const std::string& text, std::string_view what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
};

TEST_F(AclHandlers, CreateBucketWithObjectWriterKeepsItsCannedAcl) {
  CreateOwnedBucket("open", "ObjectWriter", {{"x-amz-acl", "public-read"}});
  std::string acl = Body(Call(bhttp::verb::get, "/open?acl"));
  EXPECT_NE(acl.find("<Owner><ID>" + OwnerId() + "</ID><DisplayName>kura</DisplayName></Owner>"),
            std::string::npos);
  EXPECT_NE(acl.find(kAllUsersRead), std::string::npos) << acl;
  EXPECT_NE(Body(Call(bhttp::verb::get, "/open?ownershipControls"))
                .find("<Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule>"),
            std::string::npos);
}

TEST_F(AclHandlers, CreateBucketRefusesANonPrivateAclWithAclsDisabled) {
  for (const char* ownership : {"", "BucketOwnerEnforced"}) {
    Headers headers{{"x-amz-acl", "public-read"}};
    if (*ownership) headers.emplace_back("x-amz-object-ownership", ownership);
    EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/closed", headers)),
              "InvalidBucketAclWithObjectOwnership");
    EXPECT_FALSE(metadata_.GetBucket("closed"));
  }
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/closed", {{"x-amz-acl", "private"}})), "OK");
  auto bucket = metadata_.GetBucket("closed");
  ASSERT_TRUE(bucket);
  EXPECT_EQ(bucket->object_ownership, store::ObjectOwnership::kBucketOwnerEnforced);
}

TEST_F(AclHandlers, OwnershipControlsPutGetDelete) {
  CreateOwnedBucket("bkt", "BucketOwnerEnforced");
  auto put =
      Call(bhttp::verb::put, "/bkt?ownershipControls", {},
           "<OwnershipControls><Rule><ObjectOwnership>BucketOwnerPreferred</ObjectOwnership></Rule>"
           "</OwnershipControls>");
  EXPECT_EQ(CodeOf(put), "OK");
  EXPECT_NE(Body(Call(bhttp::verb::get, "/bkt?ownershipControls")).find("BucketOwnerPreferred"),
            std::string::npos);
  auto deleted = Call(bhttp::verb::delete_, "/bkt?ownershipControls");
  EXPECT_EQ(CodeOf(deleted), "OK");
  EXPECT_EQ(deleted.response.sent_head->status, bhttp::status::no_content);
  EXPECT_EQ(CodeOf(Call(bhttp::verb::get, "/bkt?ownershipControls")),
            "OwnershipControlsNotFoundError");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt?ownershipControls", {},
                        "<OwnershipControls><Rule><ObjectOwnership>Nobody</ObjectOwnership></Rule>"
                        "</OwnershipControls>")),
            "MalformedXML");
}

TEST_F(AclHandlers, AclsCannotBeDisabledWhileTheBucketAclGrantsOthers) {
  CreateOwnedBucket("bkt", "ObjectWriter", {{"x-amz-acl", "authenticated-read"}});
  std::string enforce =
      "<OwnershipControls><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></"
      "OwnershipControls>";
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt?ownershipControls", {}, enforce)),
            "InvalidBucketAclWithObjectOwnership");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt?acl", {{"x-amz-acl", "private"}})), "OK");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt?ownershipControls", {}, enforce)), "OK");
}

TEST_F(AclHandlers, ObjectAclsAreKeptButIgnoredWhileOwnershipIsEnforced) {
  CreateOwnedBucket("bkt", "ObjectWriter");
  ASSERT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k", {{"x-amz-acl", "public-read"}}, "x")), "OK");
  EXPECT_NE(Body(Call(bhttp::verb::get, "/bkt/k?acl")).find(kAllUsersRead), std::string::npos);
  auto set = [&](std::string_view ownership) {
    return Call(bhttp::verb::put, "/bkt?ownershipControls", {},
                "<OwnershipControls><Rule><ObjectOwnership>" + std::string(ownership) +
                    "</ObjectOwnership></Rule></OwnershipControls>");
  };
  ASSERT_EQ(CodeOf(set("BucketOwnerEnforced")), "OK");
  std::string enforced = Body(Call(bhttp::verb::get, "/bkt/k?acl"));
  EXPECT_EQ(CountOf(enforced, "<Grant>"), 1) << enforced;
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k?acl", {{"x-amz-acl", "public-read"}})),
            "AccessControlListNotSupported");
  EXPECT_EQ(
      CodeOf(Call(bhttp::verb::put, "/bkt/k?acl", {{"x-amz-acl", "bucket-owner-full-control"}})),
      "OK");
  ASSERT_EQ(CodeOf(set("ObjectWriter")), "OK");
  EXPECT_NE(Body(Call(bhttp::verb::get, "/bkt/k?acl")).find(kAllUsersRead), std::string::npos);
}

TEST_F(AclHandlers, PutObjectAclTakesABodyAndReplacesTheAcl) {
  CreateOwnedBucket("bkt", "BucketOwnerPreferred");
  ASSERT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k", {{"x-amz-acl", "public-read-write"}}, "x")),
            "OK");
  std::string body =
      "<AccessControlPolicy><Owner><ID>" + OwnerId() +
      "</ID></Owner><AccessControlList><Grant><Grantee "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"><URI>"
      "http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ_ACP"
      "</Permission></Grant></AccessControlList></AccessControlPolicy>";
  ASSERT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k?acl", {}, body)), "OK");
  std::string acl = Body(Call(bhttp::verb::get, "/bkt/k?acl"));
  EXPECT_EQ(CountOf(acl, "<Grant>"), 1) << acl;
  EXPECT_NE(acl.find("<Permission>READ_ACP</Permission>"), std::string::npos);
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k?acl", {{"x-amz-acl", "private"}}, body)),
            "UnexpectedContent");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k?acl")), "MissingSecurityHeader");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/missing?acl", {{"x-amz-acl", "private"}})),
            "NoSuchKey");
}

TEST_F(AclHandlers, CopiesAndUploadsGetTheRequestsAclNeverTheSources) {
  CreateOwnedBucket("bkt", "ObjectWriter");
  ASSERT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/src", {{"x-amz-acl", "public-read"}}, "x")), "OK");
  ASSERT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/plain", {{"x-amz-copy-source", "/bkt/src"}})),
            "OK");
  EXPECT_EQ(metadata_.GetObject("bkt", "plain")->acl, "");
  ASSERT_EQ(CodeOf(Call(
                bhttp::verb::put, "/bkt/granted",
                {{"x-amz-copy-source", "/bkt/src"},
                 {"x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""}})),
            "OK");
  auto granted = DecodeAcl(metadata_.GetObject("bkt", "granted")->acl, OwnerId());
  ASSERT_TRUE(granted);
  EXPECT_EQ(granted->grants.size(), 1u);
  ASSERT_EQ(
      CodeOf(Call(bhttp::verb::post, "/bkt/big?uploads", {{"x-amz-acl", "authenticated-read"}})),
      "OK");
  auto uploads = metadata_.ListUploads(store::UploadQuery{.bucket = "bkt"});
  ASSERT_TRUE(uploads);
  ASSERT_EQ(uploads->size(), 1u);
  auto template_acl = DecodeAcl((*uploads)[0].object.acl, OwnerId());
  ASSERT_TRUE(template_acl);
  EXPECT_TRUE(IsPublic(*template_acl));
}

TEST_F(AclHandlers, BlockPublicAclsRefusesPublicAclsOnEveryWrite) {
  CreateOwnedBucket("bkt", "ObjectWriter");
  ASSERT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k", {}, "x")), "OK");
  ASSERT_TRUE(kura::testing::RunToEnd(io_, store::StoreWrite<void>([&](auto done) {
                                        metadata_.UpdateBucket(
                                            "bkt",
                                            [](store::BucketRecord& b) -> Result<void> {
                                              b.public_access_block = {.configured = true,
                                                                       .block_public_acls = true};
                                              return Ok();
                                            },
                                            std::move(done));
                                      })));
  for (auto [target, headers] : std::vector<std::pair<std::string, Headers>>{
           {"/bkt/k2", {{"x-amz-acl", "public-read"}}},
           {"/bkt/k?acl",
            {{"x-amz-grant-read",
              "uri=\"http://acs.amazonaws.com/groups/global/AuthenticatedUsers\""}}},
           {"/bkt?acl", {{"x-amz-acl", "public-read-write"}}},
           {"/bkt/k3", {{"x-amz-copy-source", "/bkt/k"}, {"x-amz-acl", "public-read"}}}}) {
    EXPECT_EQ(CodeOf(Call(bhttp::verb::put, target, headers, target == "/bkt/k2" ? "x" : "")),
              "AccessDenied")
        << target;
  }
  EXPECT_EQ(CodeOf(Call(bhttp::verb::post, "/bkt/k4?uploads", {{"x-amz-acl", "public-read"}})),
            "AccessDenied");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k5", {{"x-amz-acl", "bucket-owner-read"}}, "x")),
            "OK");
}

TEST_F(AclHandlers, SettingAnAclNeedsTheAclPermissionToo) {
  CreateOwnedBucket("bkt", "ObjectWriter");
  authorize_ = [](std::string_view action, std::string_view) -> Result<void> {
    if (action == "s3:PutObjectAcl" || action == "s3:PutBucketAcl") {
      return MakeError(ErrorCode::kAccessDenied);
    }
    return Ok();
  };
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k", {{"x-amz-acl", "private"}}, "x")),
            "AccessDenied");
  EXPECT_EQ(authorized_.back(),
            (std::pair<std::string, std::string>{"s3:PutObjectAcl", "arn:aws:s3:::bkt/k"}));
  EXPECT_FALSE(metadata_.GetObject("bkt", "k"));
  EXPECT_EQ(CodeOf(Call(bhttp::verb::post, "/bkt/k?uploads", {{"x-amz-grant-read", "id=x"}})),
            "AccessDenied");
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/other", {{"x-amz-acl", "private"}})), "AccessDenied");
  authorized_.clear();
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k", {}, "x")), "OK");
  EXPECT_TRUE(authorized_.empty());
  EXPECT_EQ(CodeOf(Call(bhttp::verb::put, "/owned", {{"x-amz-object-ownership", "ObjectWriter"}})),
            "OK");
  EXPECT_EQ(authorized_, (std::vector<std::pair<std::string, std::string>>{
                             {"s3:PutBucketOwnershipControls", "arn:aws:s3:::owned"}}));
}

TEST_F(AclHandlers, ListingsNameTheOwnerByTheAccountName) {
  env_.account_name = "acme";
  CreateOwnedBucket("bkt", "BucketOwnerEnforced");
  ASSERT_EQ(CodeOf(Call(bhttp::verb::put, "/bkt/k", {}, "x")), "OK");
  const std::string owner =
      "<Owner><ID>" + OwnerId() + "</ID><DisplayName>acme</DisplayName></Owner>";
  EXPECT_NE(Body(Call(bhttp::verb::get, "/")).find(owner), std::string::npos);
  EXPECT_NE(Body(Call(bhttp::verb::get, "/bkt")).find(owner), std::string::npos);
  EXPECT_NE(Body(Call(bhttp::verb::get, "/bkt?versions")).find(owner), std::string::npos);
  EXPECT_NE(Body(Call(bhttp::verb::get, "/bkt/k?acl")).find(owner), std::string::npos);
}

}  // namespace
}  // namespace kura::s3
