// DescribeOrganization and ListRoots, and the organization's ARNs: kura has one organization,
// made of every account, whose id derives from the management account's
// (policy::OrganizationId, also aws:PrincipalOrgID's value), with one root holding every
// account directly (no organizational units).
#include <boost/json.hpp>

#include "organizations/create_account_status.h"
#include "organizations/organizations_operations.h"
#include "policy/arn.h"

namespace kura::organizations {
namespace {
namespace json = boost::json;

std::string OrganizationsArnPrefix(std::string_view management_account_id) {
  return "arn:aws:organizations::" + std::string(management_account_id) + ":";
}

}  // namespace

std::string OrganizationArn(std::string_view management_account_id) {
  return OrganizationsArnPrefix(management_account_id) + "organization/" +
         policy::OrganizationId(management_account_id);
}

std::string AccountArn(std::string_view management_account_id, std::string_view account_id) {
  return OrganizationsArnPrefix(management_account_id) + "account/" +
         policy::OrganizationId(management_account_id) + "/" + std::string(account_id);
}

std::string RootId(std::string_view management_account_id) {
  return "r-" + policy::OrganizationId(management_account_id).substr(2, 4);
}

json::object AccountJson(const iam::AccountInfo& account, std::string_view management_account_id) {
  std::string_view status = account.active() ? "ACTIVE" : "SUSPENDED";
  json::object o{{"Id", account.id},
                 {"Arn", AccountArn(management_account_id, account.id)},
                 {"Name", account.name},
                 {"Status", status},
                 {"State", status},
                 {"JoinedMethod", account.management ? "INVITED" : "CREATED"},
                 {"JoinedTimestamp", EpochSeconds(account.joined)}};
  // The management account's e-mail is --account-email, which may be unset.
  if (!account.email.empty()) o["Email"] = account.email;
  return o;
}

OperationResult DescribeOrganization(OperationInput& in) {
  const std::string& management = in.directory->management_account_id();
  json::object organization{{"Id", policy::OrganizationId(management)},
                            {"Arn", OrganizationArn(management)},
                            {"FeatureSet", "ALL"},
                            {"MasterAccountArn", AccountArn(management, management)},
                            {"MasterAccountId", management},
                            {"AvailablePolicyTypes", json::array()}};
  const auto* snapshot = in.directory->Find(management);
  if (snapshot != nullptr && (*snapshot)->state().account != nullptr &&
      !(*snapshot)->state().account->email.empty()) {
    organization["MasterAccountEmail"] = (*snapshot)->state().account->email;
  }
  co_return json::object{{"Organization", std::move(organization)}};
}

OperationResult ListRoots(OperationInput& in) {
  auto page = PageOf(in.request, {"root"});
  if (!page) co_return page.error();
  const std::string& management = in.directory->management_account_id();
  std::string id = RootId(management);
  json::object root{{"Id", id},
                    {"Arn", OrganizationsArnPrefix(management) + "root/" +
                                policy::OrganizationId(management) + "/" + id},
                    {"Name", "Root"},
                    {"PolicyTypes", json::array()}};
  co_return json::object{{"Roots", json::array{std::move(root)}}};
}

}  // namespace kura::organizations
