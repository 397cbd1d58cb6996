#include "organizations/organizations_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>

#include "organizations/organizations_request.h"
#include "store/memory/memory_metadata_store.h"
#include "tests/iam/iam_test_support.h"
#include "tests/support/memory_exchange.h"

namespace kura::organizations {
namespace {
namespace json = boost::json;
using iam::testing::kAccount;

// IAM policies reduced to the set of allowed actions (root may do everything, as IamAuthorizer).
class FakeAuthorizer final : public policy::Authorizer {
 public:
  Result<void> Authorize(const Principal& principal, std::string_view action, std::string_view,
                         const policy::RequestAttributes&) const override {
    if (principal.IsRoot() || allowed.contains(std::string(action))) return Ok();
    return MakeError(
        ErrorCode::kAccessDenied,
        "User: " + principal.arn + " is not authorized to perform: " + std::string(action));
  }
  std::set<std::string> allowed;
};

class MemorySink final : public RootCredentialsSink {
 public:
  Result<void> Write(std::string_view account_id, std::string_view key, const Secret&) override {
    written[std::string(account_id)] = std::string(key);
    return Ok();
  }
  std::map<std::string, std::string> written;
};

Principal PrincipalOf(PrincipalType type, const std::string& account, const std::string& name) {
  Principal p;
  p.type = type;
  p.account_id = account;
  p.arn = "arn:aws:iam::" + account + ":" + name;
  return p;
}

Principal RootOf(const std::string& account) {
  return PrincipalOf(PrincipalType::kRoot, account, "root");
}

Principal UserOf(const std::string& account) {
  return PrincipalOf(PrincipalType::kUser, account, "user/alice");
}

std::string ReasonOf(const Error& error) {
  for (const auto& [name, value] : error.details) {
    if (name == "Reason") return value;
  }
  return "";
}

class OrganizationsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = iam::IdentityStore::Open(metadata_, iam::testing::ManagementAccount(),
                                           iam::testing::TestSealer());
    ASSERT_TRUE(opened.has_value());
    identities_ = std::move(*opened);
    auto log = CreateAccountStatusLog::Open(metadata_);
    ASSERT_TRUE(log.has_value());
    statuses_ = std::move(*log);
    service_ = std::make_unique<OrganizationsService>(
        OrganizationsEnv{*identities_, *statuses_, sink_, authorizer_, clock_, random_, pool_});
  }

  Result<json::object> Call(const Principal& who, std::string_view operation,
                            const json::object& body = {}) {
    std::string text = json::serialize(body);
    auto answer = kura::testing::RunToEnd(
        context_, service_->Handle(OrganizationsCall{operation, text, who, facts_}));
    if (!answer) return answer.error();
    return json::parse(*answer).as_object();
  }

  json::object Create(const std::string& name, const std::string& email) {
    auto created =
        Call(RootOf(kAccount), "CreateAccount", {{"AccountName", name}, {"Email", email}});
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created ? created->at("CreateAccountStatus").as_object() : json::object();
  }

  std::string CreateId(const std::string& name) {
    return std::string(Create(name, name + "@example.com").at("AccountId").as_string());
  }

  boost::asio::io_context context_;  // outlives the pool (RunToEnd)
  boost::asio::thread_pool pool_{1};
  store::MemoryMetadataStore metadata_;
  std::unique_ptr<iam::IdentityStore> identities_;
  std::unique_ptr<CreateAccountStatusLog> statuses_;
  MemorySink sink_;
  FakeAuthorizer authorizer_;
  FakeClock clock_{FromUnixSeconds(1700000000)};
  SecureRandom random_;
  policy::RequestAttributes facts_;
  std::unique_ptr<OrganizationsService> service_;
};

TEST_F(OrganizationsServiceTest, CreateAccountMakesTheAccountAndKeepsItsStatus) {
  json::object status = Create("team", "team@example.com");
  EXPECT_EQ(status.at("State").as_string(), "SUCCEEDED");
  std::string id(status.at("AccountId").as_string());
  EXPECT_NE(identities_->Current(id), nullptr);
  EXPECT_TRUE(sink_.written.contains(id));
  auto described = Call(RootOf(kAccount), "DescribeCreateAccountStatus",
                        {{"CreateAccountRequestId", status.at("Id")}});
  ASSERT_TRUE(described.has_value());
  EXPECT_EQ(described->at("CreateAccountStatus").as_object(), status);
}

TEST_F(OrganizationsServiceTest, ASecondAccountWithTheSameEmailFails) {
  Create("one", "same@example.com");
  json::object second = Create("two", "SAME@example.com");
  EXPECT_EQ(second.at("State").as_string(), "FAILED");
  EXPECT_EQ(second.at("FailureReason").as_string(), "EMAIL_ALREADY_EXISTS");
  EXPECT_FALSE(second.contains("AccountId"));
  EXPECT_EQ(identities_->Directory()->accounts().size(), 2u);
}

TEST_F(OrganizationsServiceTest, OnlyTheManagementAccountAdministersTheOrganization) {
  std::string member = CreateId("member");
  for (std::string_view op : {"ListAccounts", "CreateAccount", "DescribeAccount", "CloseAccount",
                              "ListCreateAccountStatus", "ListRoots"}) {
    auto denied = Call(RootOf(member), op, {{"AccountId", member}});
    ASSERT_FALSE(denied.has_value()) << op;
    EXPECT_EQ(denied.error().aws_code(), "AccessDeniedException") << op;
  }
  auto organization = Call(RootOf(member), "DescribeOrganization");
  ASSERT_TRUE(organization.has_value());
  EXPECT_EQ(organization->at("Organization").at("MasterAccountId").as_string(), kAccount);
}

TEST_F(OrganizationsServiceTest, ManagementUsersNeedTheirPolicies) {
  auto denied = Call(UserOf(kAccount), "ListAccounts");
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().aws_code(), "AccessDeniedException");
  authorizer_.allowed.insert("organizations:ListAccounts");
  EXPECT_TRUE(Call(UserOf(kAccount), "ListAccounts").has_value());
}

TEST_F(OrganizationsServiceTest, ListAccountsPages) {
  CreateId("a");
  CreateId("b");
  std::set<std::string> seen;
  json::object input{{"MaxResults", 1}};
  for (int pages = 1;; ++pages) {
    auto page = Call(RootOf(kAccount), "ListAccounts", input);
    ASSERT_TRUE(page.has_value()) << page.error().message;
    ASSERT_EQ(page->at("Accounts").as_array().size(), 1u);
    seen.insert(std::string(page->at("Accounts").as_array()[0].at("Id").as_string()));
    if (!page->contains("NextToken")) {
      EXPECT_EQ(pages, 3);
      break;
    }
    input["NextToken"] = page->at("NextToken");
  }
  EXPECT_EQ(seen.size(), 3u);
}

TEST_F(OrganizationsServiceTest, CloseAccountSuspendsItOnce) {
  std::string id = CreateId("closing");
  ASSERT_TRUE(Call(RootOf(kAccount), "CloseAccount", {{"AccountId", id}}).has_value());
  EXPECT_FALSE(identities_->Current(id)->state().account->active());
  auto described = Call(RootOf(kAccount), "DescribeAccount", {{"AccountId", id}});
  EXPECT_EQ(described->at("Account").at("Status").as_string(), "SUSPENDED");
  auto again = Call(RootOf(kAccount), "CloseAccount", {{"AccountId", id}});
  EXPECT_EQ(again.error().aws_code(), "AccountAlreadyClosedException");
  auto management = Call(RootOf(kAccount), "CloseAccount", {{"AccountId", kAccount}});
  EXPECT_EQ(management.error().aws_code(), "ConstraintViolationException");
  EXPECT_EQ(ReasonOf(management.error()), "CANNOT_CLOSE_MANAGEMENT_ACCOUNT");
}

TEST_F(OrganizationsServiceTest, UnknownAndUnimplementedOperations) {
  EXPECT_EQ(Call(RootOf(kAccount), "Nonsense").error().aws_code(), "UnknownOperationException");
  EXPECT_EQ(Call(RootOf(kAccount), "CreateOrganizationalUnit").error().aws_code(),
            "UnsupportedAPIEndpointException");
}

TEST(RenderOrganizationsError, CarriesTheReason) {
  Error error = ConstraintViolation("CANNOT_CLOSE_MANAGEMENT_ACCOUNT", "no");
  json::object o = json::parse(RenderOrganizationsError(error)).as_object();
  EXPECT_EQ(o.at("__type").as_string(), "ConstraintViolationException");
  EXPECT_EQ(o.at("Message").as_string(), "no");
  EXPECT_EQ(o.at("Reason").as_string(), "CANNOT_CLOSE_MANAGEMENT_ACCOUNT");
}

}  // namespace
}  // namespace kura::organizations
