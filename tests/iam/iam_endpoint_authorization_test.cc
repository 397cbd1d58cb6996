// The table-driven authorization step (query::AuthorizeCall) over IamService's endpoint table:
// which IAM action is authorized on which ARN, and which errors come before AccessDenied.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/clock.h"
#include "iam/iam_service.h"
#include "iam/identity_store.h"
#include "iam_test_support.h"
#include "store/memory/memory_metadata_store.h"

namespace kura::iam {
namespace {
using namespace testing;

// Records each question and answers as told.
class RecordingAuthorizer final : public policy::Authorizer {
 public:
  Result<void> Authorize(const Principal&, std::string_view action, std::string_view resource,
                         const policy::RequestAttributes&) const override {
    asked.push_back(std::string(action) + " " + std::string(resource));
    if (deny) return MakeError(ErrorCode::kAccessDenied, "denied");
    return Ok();
  }
  mutable std::vector<std::string> asked;
  bool deny = false;
};

class IamEndpointAuthorizationTest : public ::testing::Test {
 protected:
  IamEndpointAuthorizationTest()
      : store_(std::move(IdentityStore::Open(metadata_, ManagementAccount(), TestSealer()).value())),
        service_(*store_, usage_, clock_, random_) {
    caller_.type = PrincipalType::kUser;
    caller_.account_id = kAccount;
    caller_.arn = IamArn(kAccount, "user", "/", "alice");
    caller_.user_name = "alice";
  }

  Result<const policy::EndpointRule*> Authorize(const std::string& action,
                                                std::map<std::string, std::string> params,
                                                sigv4::AuthType type = sigv4::AuthType::kHeader) {
    call_ = query::QueryCall{};
    call_.action = action;
    call_.params = std::move(params);
    auth_.type = type;
    call_.auth = &auth_;
    call_.principal = std::make_shared<Principal>(caller_);
    return query::AuthorizeCall(service_, call_, authorizer_);
  }

  store::MemoryMetadataStore metadata_;
  std::unique_ptr<IdentityStore> store_;
  KeyUsageTracker usage_{"us-east-1"};
  FakeClock clock_{TimePoint{}};
  SecureRandom random_;
  IamService service_;
  Principal caller_;
  sigv4::AuthResult auth_;
  query::QueryCall call_;
  RecordingAuthorizer authorizer_;
};

TEST_F(IamEndpointAuthorizationTest, AuthorizesTheEntrysActionOnTheNamedEntity) {
  auto endpoint = Authorize("DeleteUser", {{"UserName", "bob"}});
  ASSERT_TRUE(endpoint.has_value());
  EXPECT_EQ((*endpoint)->name, "DeleteUser");
  EXPECT_EQ(authorizer_.asked,
            std::vector<std::string>{"iam:DeleteUser arn:aws:iam::111122223333:user/bob"});
}

TEST_F(IamEndpointAuthorizationTest, BuildsEachKindsArn) {
  ASSERT_TRUE(Authorize("CreateRole", {{"RoleName", "r"}, {"Path", "/app/"}}));
  ASSERT_TRUE(Authorize("ListGroups", {}));
  ASSERT_TRUE(Authorize("GetPolicy", {{"PolicyArn", "arn:aws:iam::111122223333:policy/p"}}));
  ASSERT_TRUE(Authorize("ListPolicies", {}));
  ASSERT_TRUE(Authorize("ListAccessKeys", {}));  // the calling user's own
  EXPECT_EQ(authorizer_.asked, (std::vector<std::string>{
                                   "iam:CreateRole arn:aws:iam::111122223333:role/app/r",
                                   "iam:ListGroups arn:aws:iam::111122223333:group/",
                                   "iam:GetPolicy arn:aws:iam::111122223333:policy/p",
                                   "iam:ListPolicies *",
                                   "iam:ListAccessKeys arn:aws:iam::111122223333:user/alice"}));
}

TEST_F(IamEndpointAuthorizationTest, ListSessionsIsKurasActionOnTheRoleOrEverything) {
  ASSERT_TRUE(Authorize("ListSessions", {}));
  ASSERT_TRUE(Authorize("ListSessions", {{"RoleName", "uploader"}}));
  EXPECT_EQ(authorizer_.asked, (std::vector<std::string>{
                                   "kura:ListSessions *",
                                   "kura:ListSessions arn:aws:iam::111122223333:role/uploader"}));
}

TEST_F(IamEndpointAuthorizationTest, DeniedCallsAnswerTheAuthorizersAccessDenied) {
  authorizer_.deny = true;
  auto endpoint = Authorize("GetRole", {{"RoleName", "r"}});
  ASSERT_FALSE(endpoint.has_value());
  EXPECT_EQ(endpoint.error().code, ErrorCode::kAccessDenied);
}

TEST_F(IamEndpointAuthorizationTest, AMalformedNameIsAValidationErrorBeforeAccessDenied) {
  authorizer_.deny = true;
  auto endpoint = Authorize("DeleteUser", {{"UserName", "bad name!"}});
  ASSERT_FALSE(endpoint.has_value());
  EXPECT_EQ(endpoint.error().code, ErrorCode::kValidationError);
  EXPECT_NE(endpoint.error().message.find("[\\w+=,.@-]+"), std::string::npos);
  auto missing = Authorize("GetGroup", {});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kValidationError);
  EXPECT_TRUE(authorizer_.asked.empty());
}

TEST_F(IamEndpointAuthorizationTest, UnknownActionsAreInvalidAction) {
  auto endpoint = Authorize("GetWidgets", {});
  ASSERT_FALSE(endpoint.has_value());
  EXPECT_EQ(endpoint.error().code, ErrorCode::kInvalidAction);
  EXPECT_EQ(endpoint.error().message, "Could not find operation GetWidgets for version 2010-05-08");
}

TEST_F(IamEndpointAuthorizationTest, NoIamActionMayBeUnsigned) {
  auto endpoint = Authorize("ListUsers", {}, sigv4::AuthType::kAnonymous);
  ASSERT_FALSE(endpoint.has_value());
  EXPECT_EQ(endpoint.error().code, ErrorCode::kMissingAuthenticationToken);
  EXPECT_TRUE(authorizer_.asked.empty());
}

}  // namespace
}  // namespace kura::iam
