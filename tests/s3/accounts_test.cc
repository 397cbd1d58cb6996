// S3 across accounts (#15), through s3::Dispatch against the memory store: who owns a bucket,
// which buckets ListBuckets shows, BucketAlreadyExists for another account's name, how <Owner>
// and ACLs name another account, Object Ownership with a writer of another account, and
// x-amz-expected-bucket-owner. Authorization itself is iam::IamAuthorizer's (its tests).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "s3/acl.h"
#include "s3/response.h"
#include "tests/s3/handler_harness.h"

namespace kura::s3 {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr char kManagement[] = "123456789012";  // the harness env's account
constexpr char kMember[] = "444455556666";

// A fixed directory: the management account and one member.
class FixedAccounts final : public AccountDirectory {
 public:
  FixedAccounts() {
    Add(kManagement, "kura", "");
    Add(kMember, "member", "member@example.com");
  }
  std::optional<S3Account> Find(std::string_view id) const override {
    auto it = accounts_.find(std::string(id));
    return it == accounts_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<S3Account> FindByCanonicalId(std::string_view canonical) const override {
    for (const auto& [id, account] : accounts_) {
      if (account.canonical_id == canonical) return account;
    }
    return std::nullopt;
  }
  std::optional<S3Account> FindByEmail(std::string_view email) const override {
    for (const auto& [id, account] : accounts_) {
      if (!account.email.empty() && account.email == email) return account;
    }
    return std::nullopt;
  }

 private:
  void Add(std::string id, std::string name, std::string email) {
    accounts_[id] = S3Account{.id = id,
                              .canonical_id = CanonicalUserId(id),
                              .display_name = std::move(name),
                              .email = std::move(email),
                              .active = true};
  }
  std::map<std::string, S3Account> accounts_;
};

Principal RootOf(std::string account) {
  Principal p;
  p.type = PrincipalType::kRoot;
  p.account_id = std::move(account);
  p.arn = "arn:aws:iam::" + p.account_id + ":root";
  return p;
}

class S3Accounts : public testing::HandlerHarness {
 protected:
  S3Accounts() { env_.accounts = &accounts_; }

  testing::HarnessAnswer As(const Principal& who, bhttp::verb method, std::string target,
                            Headers headers = {}, std::string body = "") {
    principal_ = &who;
    testing::HarnessRequest r;
    r.method = method;
    r.target = std::move(target);
    r.headers = std::move(headers);
    r.body = std::move(body);
    testing::HarnessAnswer answer = Run(r);
    principal_ = nullptr;
    return answer;
  }
  static std::string CodeOf(const testing::HarnessAnswer& answer) {
    return answer.result ? "OK" : std::string(answer.result.error().aws_code());
  }
  static std::string OwnerXml(std::string_view account, std::string_view name) {
    return "<Owner><ID>" + CanonicalUserId(account) + "</ID><DisplayName>" + std::string(name) +
           "</DisplayName></Owner>";
  }

  FixedAccounts accounts_;
  Principal management_ = RootOf(kManagement);
  Principal member_ = RootOf(kMember);
};

TEST_F(S3Accounts, ABucketBelongsToTheAccountThatCreatedIt) {
  ASSERT_EQ(CodeOf(As(member_, bhttp::verb::put, "/theirs")), "OK");
  auto record = metadata_.GetBucket("theirs");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->owner_account, kMember);
  EXPECT_EQ(record->owner_id, CanonicalUserId(kMember));
  EXPECT_EQ(bucket_policies_.OwnerOf("theirs"), kMember);
}

TEST_F(S3Accounts, BucketNamesAreGlobalButOnlyTheOwnerHearsItOwnsIt) {
  ASSERT_EQ(CodeOf(As(member_, bhttp::verb::put, "/taken")), "OK");
  EXPECT_EQ(CodeOf(As(management_, bhttp::verb::put, "/taken")), "BucketAlreadyExists");
  EXPECT_EQ(CodeOf(As(member_, bhttp::verb::put, "/taken")), "BucketAlreadyOwnedByYou");
}

TEST_F(S3Accounts, ListBucketsShowsOnlyTheCallersAccountsBuckets) {
  ASSERT_TRUE(CreateBucket("legacy"));  // made before accounts: no owner account recorded
  ASSERT_EQ(CodeOf(As(member_, bhttp::verb::put, "/member-bucket")), "OK");
  ASSERT_EQ(CodeOf(As(management_, bhttp::verb::put, "/management-bucket")), "OK");
  std::string mine = As(member_, bhttp::verb::get, "/").response.sent_body;
  EXPECT_NE(mine.find("<Name>member-bucket</Name>"), std::string::npos) << mine;
  EXPECT_EQ(mine.find("<Name>management-bucket</Name>"), std::string::npos) << mine;
  EXPECT_EQ(mine.find("<Name>legacy</Name>"), std::string::npos) << mine;
  EXPECT_NE(mine.find(OwnerXml(kMember, "member")), std::string::npos) << mine;
  std::string theirs = As(management_, bhttp::verb::get, "/").response.sent_body;
  EXPECT_NE(theirs.find("<Name>legacy</Name>"), std::string::npos) << theirs;
  EXPECT_NE(theirs.find("<Name>management-bucket</Name>"), std::string::npos) << theirs;
  EXPECT_EQ(theirs.find("<Name>member-bucket</Name>"), std::string::npos) << theirs;
}

TEST_F(S3Accounts, ListingsAndAclsNameTheBucketOwnersAccount) {
  ASSERT_EQ(CodeOf(As(member_, bhttp::verb::put, "/bkt")), "OK");
  ASSERT_EQ(CodeOf(As(member_, bhttp::verb::put, "/bkt/k", {}, "data")), "OK");
  std::string listing =
      As(member_, bhttp::verb::get, "/bkt?list-type=2&fetch-owner=true").response.sent_body;
  EXPECT_NE(listing.find(OwnerXml(kMember, "member")), std::string::npos) << listing;
  std::string acl = As(member_, bhttp::verb::get, "/bkt?acl").response.sent_body;
  EXPECT_NE(acl.find(OwnerXml(kMember, "member")), std::string::npos) << acl;
}

// ObjectWriter: the writer's account owns what it writes in another account's bucket;
// BucketOwnerEnforced: the bucket owner owns everything.
TEST_F(S3Accounts, ObjectOwnershipDecidesWhetherAnotherAccountsWriterOwnsItsObject) {
  ASSERT_EQ(CodeOf(As(member_, bhttp::verb::put, "/writer",
                      {{"x-amz-object-ownership", "ObjectWriter"}})),
            "OK");
  ASSERT_EQ(CodeOf(As(management_, bhttp::verb::put, "/writer/k", {}, "data")), "OK");
  std::string acl = As(management_, bhttp::verb::get, "/writer/k?acl").response.sent_body;
  EXPECT_NE(acl.find(OwnerXml(kManagement, "kura")), std::string::npos) << acl;

  ASSERT_EQ(CodeOf(As(member_, bhttp::verb::put, "/enforced")), "OK");
  ASSERT_EQ(CodeOf(As(management_, bhttp::verb::put, "/enforced/k", {}, "data")), "OK");
  acl = As(management_, bhttp::verb::get, "/enforced/k?acl").response.sent_body;
  EXPECT_NE(acl.find(OwnerXml(kMember, "member")), std::string::npos) << acl;

  // BucketOwnerPreferred: bucket-owner-full-control hands the object to the bucket owner.
  ASSERT_EQ(CodeOf(As(member_, bhttp::verb::put, "/preferred",
                      {{"x-amz-object-ownership", "BucketOwnerPreferred"}})),
            "OK");
  ASSERT_EQ(CodeOf(As(management_, bhttp::verb::put, "/preferred/k",
                      {{"x-amz-acl", "bucket-owner-full-control"}}, "data")),
            "OK");
  acl = As(management_, bhttp::verb::get, "/preferred/k?acl").response.sent_body;
  EXPECT_NE(acl.find(OwnerXml(kMember, "member")), std::string::npos) << acl;
}

TEST_F(S3Accounts, AclsNameAnotherAccountByCanonicalIdOrEmail) {
  ASSERT_EQ(CodeOf(As(management_, bhttp::verb::put, "/shared",
                      {{"x-amz-object-ownership", "ObjectWriter"}})),
            "OK");
  ASSERT_EQ(
      CodeOf(As(management_, bhttp::verb::put, "/shared?acl",
                {{"x-amz-grant-read", "emailAddress=\"member@example.com\""},
                 {"x-amz-grant-full-control", "id=\"" + CanonicalUserId(kManagement) + "\""}})),
      "OK");
  std::string acl = As(management_, bhttp::verb::get, "/shared?acl").response.sent_body;
  EXPECT_NE(acl.find("<ID>" + CanonicalUserId(kMember) + "</ID><DisplayName>member</DisplayName>"),
            std::string::npos)
      << acl;
  EXPECT_EQ(CodeOf(As(management_, bhttp::verb::put, "/shared?acl",
                      {{"x-amz-grant-read", "id=\"" + CanonicalUserId("999999999999") + "\""}})),
            "InvalidArgument");
  EXPECT_EQ(CodeOf(As(management_, bhttp::verb::put, "/shared?acl",
                      {{"x-amz-grant-read", "emailAddress=\"nobody@example.com\""}})),
            "UnresolvableGrantByEmailAddress");
}

TEST_F(S3Accounts, ExpectedBucketOwnerIsTheBucketsOwnerAccount) {
  ASSERT_EQ(CodeOf(As(member_, bhttp::verb::put, "/bkt")), "OK");
  EXPECT_EQ(CodeOf(As(member_, bhttp::verb::get, "/bkt?list-type=2",
                      {{"x-amz-expected-bucket-owner", kMember}})),
            "OK");
  EXPECT_EQ(CodeOf(As(member_, bhttp::verb::get, "/bkt?list-type=2",
                      {{"x-amz-expected-bucket-owner", kManagement}})),
            "AccessDenied");
}

}  // namespace
}  // namespace kura::s3
