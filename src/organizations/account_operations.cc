// CreateAccount, DescribeCreateAccountStatus, ListCreateAccountStatus, ListAccounts,
// DescribeAccount, CloseAccount:
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html and
// siblings.
#include <boost/json.hpp>

#include "common/async_bridge.h"
#include "common/limits.h"
#include "organizations/account_creation.h"
#include "organizations/organizations_operations.h"
#include "organizations/organizations_service.h"

namespace kura::organizations {
namespace {
namespace json = boost::json;

constexpr StringShape kEmail{limits::kMinAccountEmailChars, limits::kMaxAccountEmailChars,
                             &IsEmail};
constexpr StringShape kAccountName{1, limits::kMaxAccountNameChars, &IsPrintableAscii};
constexpr StringShape kRoleName{1, limits::kMaxAccountRoleNameChars, &IsRoleName};
constexpr StringShape kAccountId{12, 12, &IsAccountId};
constexpr StringShape kRequestId{12, 36, &IsCreateAccountRequestId};
constexpr StringShape kAnyString{0, SIZE_MAX, nullptr};

struct CreateAccountInput {
  std::string email;
  std::string name;
  std::string role_name;
};

// IamUserAccessToBilling has no meaning in kura (no billing console): its enum is checked and
// the value dropped. Tags on the new account cannot be kept (accounts carry none): AWS's
// quota error for a non-empty list, as if the quota were 0.
Result<void> CheckBillingAndTags(const OrganizationsRequest& request) {
  auto billing = request.String("IamUserAccessToBilling", kAnyString);
  if (!billing) return billing.error();
  if (*billing && **billing != "ALLOW" && **billing != "DENY") {
    return InvalidInput("INVALID_ENUM",
                        "You specified an invalid value for IamUserAccessToBilling.");
  }
  const json::value* tags = request.Member("Tags");
  if (tags != nullptr && !tags->is_array()) {
    return MakeError(ErrorCode::kOrgSerialization, "Tags must be a list");
  }
  if (tags != nullptr && !tags->get_array().empty()) {
    return ConstraintViolation("MAX_TAG_LIMIT_EXCEEDED",
                               "kura keeps no tags on accounts: create the account without Tags.");
  }
  return Ok();
}

Result<CreateAccountInput> ReadCreateAccount(const OrganizationsRequest& request) {
  auto email = request.RequiredString("Email", kEmail);
  if (!email) return email.error();
  auto name = request.RequiredString("AccountName", kAccountName);
  if (!name) return name.error();
  auto role = request.String("RoleName", kRoleName);
  if (!role) return role.error();
  KURA_TRY(CheckBillingAndTags(request));
  return CreateAccountInput{std::move(*email), std::move(*name),
                            role->value_or(std::string(kDefaultAccessRoleName))};
}

// Makes the account (its credentials file first: an account whose root key nobody was given
// would be unreachable). The failure reason of the status when it cannot.
boost::asio::awaitable<Result<std::string>> MakeAccount(OperationInput& in,
                                                        const CreateAccountInput& input,
                                                        TimePoint now) {
  const OrganizationsEnv& env = in.env;
  auto account = NewMemberAccount(*in.directory, input.name, input.email, env.random, now);
  // Only trivially destructible captures and named arguments in the co_await expressions:
  // GCC 12 destroys some temporaries of a co_await operand twice (a shared_ptr captured by
  // value here was released once too often).
  RootCredentialsSink* sink = &env.credentials;
  const iam::AccountInfo* info = account.get();
  auto written = co_await RunBlocking(env.blocking, [sink, info] {
    return sink->Write(info->id, info->root_key->id, info->root_key->secret);
  });
  if (!written) co_return written.error();
  iam::IdentityStore::Mutation add_role =
      AccessRoleMutation(in.directory->management_account_id(), input.role_name, env.random, now);
  auto added = co_await env.identities.ApplyNew(account, std::move(add_role));
  if (!added) co_return added.error();
  co_return account->id;
}

boost::asio::awaitable<Result<CreateAccountStatus>> Create(OperationInput& in,
                                                           const CreateAccountInput& input) {
  TimePoint now = in.env.clock.Now();
  CreateAccountStatus status{
      NewCreateAccountRequestId(in.env.random), input.name, "FAILED", now, now, "", ""};
  if (EmailTaken(*in.directory, input.email) || !in.service.ReserveEmail(input.email)) {
    status.failure_reason = "EMAIL_ALREADY_EXISTS";
    co_return status;
  }
  auto made = co_await MakeAccount(in, input, now);
  in.service.ReleaseEmail(input.email);
  if (!made) co_return MakeError(ErrorCode::kOrgService, made.error().message);
  status.state = "SUCCEEDED";
  status.account_id = std::move(*made);
  status.completed = in.env.clock.Now();
  co_return status;
}

json::object StatusAnswer(const CreateAccountStatus& status) {
  return json::object{{"CreateAccountStatus", StatusJson(status)}};
}

Result<const iam::AccountInfo*> FindAccount(const OperationInput& in) {
  auto id = in.request.RequiredString("AccountId", kAccountId);
  if (!id) return id.error();
  const auto* snapshot = in.directory->Find(*id);
  if (snapshot == nullptr || (*snapshot)->state().account == nullptr) {
    return MakeError(ErrorCode::kOrgAccountNotFound);
  }
  return (*snapshot)->state().account.get();
}

}  // namespace

OperationResult CreateAccount(OperationInput& in) {
  auto input = ReadCreateAccount(in.request);
  if (!input) co_return input.error();
  auto status = co_await Create(in, *input);
  if (!status) co_return status.error();
  KURA_CO_TRY(co_await in.env.statuses.Record(*status));
  co_return StatusAnswer(*status);
}

OperationResult DescribeCreateAccountStatus(OperationInput& in) {
  auto id = in.request.RequiredString("CreateAccountRequestId", kRequestId);
  if (!id) co_return id.error();
  auto status = in.env.statuses.Find(*id);
  if (!status) co_return MakeError(ErrorCode::kOrgCreateAccountStatusNotFound);
  co_return StatusAnswer(*status);
}

OperationResult ListCreateAccountStatus(OperationInput& in) {
  auto states = in.request.StringList("States");
  if (!states) co_return states.error();
  for (const std::string& state : *states) {
    if (state != "IN_PROGRESS" && state != "SUCCEEDED" && state != "FAILED") {
      co_return InvalidInput("INVALID_ENUM", "You specified an invalid value for States.");
    }
  }
  std::vector<CreateAccountStatus> statuses;
  for (CreateAccountStatus& status : in.env.statuses.List()) {
    if (states->empty() ||
        std::find(states->begin(), states->end(), status.state) != states->end()) {
      statuses.push_back(std::move(status));
    }
  }
  std::vector<std::string> keys;
  for (const CreateAccountStatus& status : statuses) keys.push_back(status.id);
  auto page = PageOf(in.request, keys);
  if (!page) co_return page.error();
  json::array list;
  for (size_t i = page->begin; i < page->end; ++i) list.push_back(StatusJson(statuses[i]));
  json::object answer{{"CreateAccountStatuses", std::move(list)}};
  if (!page->next_token.empty()) answer["NextToken"] = page->next_token;
  co_return answer;
}

OperationResult ListAccounts(OperationInput& in) {
  std::vector<std::string> keys;
  for (const auto& [id, snapshot] : in.directory->accounts()) keys.push_back(id);
  auto page = PageOf(in.request, keys);
  if (!page) co_return page.error();
  const std::string& management = in.directory->management_account_id();
  json::array list;
  for (size_t i = page->begin; i < page->end; ++i) {
    list.push_back(AccountJson(*(*in.directory->Find(keys[i]))->state().account, management));
  }
  json::object answer{{"Accounts", std::move(list)}};
  if (!page->next_token.empty()) answer["NextToken"] = page->next_token;
  co_return answer;
}

OperationResult DescribeAccount(OperationInput& in) {
  auto account = FindAccount(in);
  if (!account) co_return account.error();
  co_return json::object{
      {"Account", AccountJson(**account, in.directory->management_account_id())}};
}

OperationResult CloseAccount(OperationInput& in) {
  auto found = FindAccount(in);
  if (!found) co_return found.error();
  const iam::AccountInfo& account = **found;
  if (account.management) {
    co_return ConstraintViolation("CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
                                  "You can't close the management account of an organization.");
  }
  if (!account.active()) co_return MakeError(ErrorCode::kOrgAccountAlreadyClosed);
  TimePoint now = in.env.clock.Now();
  iam::IdentityStore::Mutation suspend = [now](iam::IdentityState& state) -> Result<void> {
    if (!state.account->active()) return MakeError(ErrorCode::kOrgAccountAlreadyClosed);
    auto closed = std::make_shared<iam::AccountInfo>(*state.account);
    closed->status = iam::AccountStatus::kSuspended;
    closed->closed = now;
    state.account = std::move(closed);
    return Ok();
  };
  KURA_CO_TRY(co_await in.env.identities.Apply(account.id, std::move(suspend)));
  co_return json::object();
}

Result<Page> PageOf(const OrganizationsRequest& request, const std::vector<std::string>& keys) {
  auto max = request.Int("MaxResults", 1, limits::kMaxOrganizationsListResults);
  if (!max) return max.error();
  auto token = request.String("NextToken", kAnyString);
  if (!token) return token.error();
  Page page;
  if (*token) {
    auto at = std::find(keys.begin(), keys.end(), **token);
    if (at == keys.end()) {
      return InvalidInput("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken.");
    }
    page.begin = static_cast<size_t>(at - keys.begin());
  }
  size_t limit = static_cast<size_t>(max->value_or(limits::kMaxOrganizationsListResults));
  page.end = std::min(keys.size(), page.begin + limit);
  if (page.end < keys.size()) page.next_token = keys[page.end];
  return page;
}

}  // namespace kura::organizations
