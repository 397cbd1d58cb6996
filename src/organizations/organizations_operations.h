// The operations of the Organizations API (organizations/organizations_service.h), one function
// each, named as AWS names them; they run after the service authorized the caller.
// Thread-safety: as OrganizationsService.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "common/error.h"
#include "common/principal.h"
#include "iam/identity_model.h"
#include "organizations/organizations_request.h"

namespace kura::organizations {

struct OrganizationsEnv;
class OrganizationsService;

struct OperationInput {
  const OrganizationsEnv& env;
  OrganizationsService& service;
  const OrganizationsRequest& request;
  const Principal& principal;
  std::shared_ptr<const iam::IdentityDirectory> directory;  // as the call found it
};

using OperationResult = boost::asio::awaitable<Result<boost::json::object>>;

// Accounts (organizations/account_operations.cc).
OperationResult CreateAccount(OperationInput& in);
OperationResult DescribeCreateAccountStatus(OperationInput& in);
OperationResult ListCreateAccountStatus(OperationInput& in);
OperationResult ListAccounts(OperationInput& in);
OperationResult DescribeAccount(OperationInput& in);
OperationResult CloseAccount(OperationInput& in);

// The organization (organizations/organization_operations.cc).
OperationResult DescribeOrganization(OperationInput& in);
OperationResult ListRoots(OperationInput& in);

// ARNs and ids of the organization (management account MGMT, organization o-…):
std::string OrganizationArn(std::string_view management_account_id);  // …:organization/o-…
std::string AccountArn(std::string_view management_account_id, std::string_view account_id);
std::string RootId(std::string_view management_account_id);  // r- and 4 characters
// The Account shape of one account.
boost::json::object AccountJson(const iam::AccountInfo& account,
                                std::string_view management_account_id);

// One page of `keys` (in answer order) from NextToken (the key to start at), at most MaxResults
// (1–20, default 20). InvalidInputException INVALID_NEXT_TOKEN for a token that names no key.
struct Page {
  size_t begin = 0;
  size_t end = 0;
  std::string next_token;  // "" on the last page
};
Result<Page> PageOf(const OrganizationsRequest& request, const std::vector<std::string>& keys);

}  // namespace kura::organizations
