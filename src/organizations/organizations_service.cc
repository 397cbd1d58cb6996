#include "organizations/organizations_service.h"

#include <boost/json.hpp>

#include "common/text.h"
#include "organizations/organizations_operations.h"

namespace kura::organizations {
namespace {
namespace json = boost::json;

struct Operation {
  std::string_view name;
  OperationResult (*run)(OperationInput&);
  bool any_member;  // callable by every account of the organization, not only the management's
  bool on_account;  // authorized on the AccountId member's account ARN (else on "*")
};

constexpr Operation kOperations[] = {
    {"CloseAccount", &CloseAccount, false, true},
    {"CreateAccount", &CreateAccount, false, false},
    {"DescribeAccount", &DescribeAccount, false, true},
    {"DescribeCreateAccountStatus", &DescribeCreateAccountStatus, false, false},
    {"DescribeOrganization", &DescribeOrganization, true, false},
    {"ListAccounts", &ListAccounts, false, false},
    {"ListCreateAccountStatus", &ListCreateAccountStatus, false, false},
    {"ListRoots", &ListRoots, false, false},
};

// The model's other operations: known, not implemented by kura.
// clang-format off
constexpr std::string_view kUnimplemented[] = {
    "AcceptHandshake", "AttachPolicy", "CancelHandshake", "CreateGovCloudAccount",
    "CreateOrganization", "CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake",
    "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DeleteResourcePolicy",
    "DeregisterDelegatedAdministrator", "DescribeEffectivePolicy", "DescribeHandshake",
    "DescribeOrganizationalUnit", "DescribePolicy", "DescribeResourcePolicy",
    "DescribeResponsibilityTransfer", "DetachPolicy", "DisableAWSServiceAccess",
    "DisablePolicyType", "EnableAWSServiceAccess", "EnableAllFeatures", "EnablePolicyType",
    "InviteAccountToOrganization", "InviteOrganizationToTransferResponsibility",
    "LeaveOrganization", "ListAWSServiceAccessForOrganization", "ListAccountsForParent",
    "ListAccountsWithInvalidEffectivePolicy", "ListChildren", "ListDelegatedAdministrators",
    "ListDelegatedServicesForAccount", "ListEffectivePolicyValidationErrors",
    "ListHandshakesForAccount", "ListHandshakesForOrganization",
    "ListInboundResponsibilityTransfers", "ListOrganizationalUnitsForParent",
    "ListOutboundResponsibilityTransfers", "ListParents", "ListPolicies", "ListPoliciesForTarget",
    "ListTagsForResource", "ListTargetsForPolicy", "MoveAccount", "PutResourcePolicy",
    "RegisterDelegatedAdministrator", "RemoveAccountFromOrganization", "TagResource",
    "TerminateResponsibilityTransfer", "UntagResource", "UpdateOrganizationalUnit",
    "UpdatePolicy", "UpdateResponsibilityTransfer",
};
// clang-format on

const Operation* FindOperation(std::string_view name) {
  for (const Operation& op : kOperations) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

bool IsUnimplemented(std::string_view name) {
  for (std::string_view known : kUnimplemented) {
    if (known == name) return true;
  }
  return false;
}

// The resource an operation on an account is authorized on: that account's ARN when the
// request names a well-formed AccountId, else "*" (the operation then fails its validation).
std::string ResourceOf(const Operation& op, const OrganizationsRequest& request,
                       std::string_view management_account_id) {
  if (!op.on_account) return "*";
  const json::value* id = request.Member("AccountId");
  if (id == nullptr || !id->is_string() || !IsAccountId(id->get_string())) return "*";
  return AccountArn(management_account_id, std::string_view(id->get_string()));
}

}  // namespace

Result<void> OrganizationsService::Authorize(const OrganizationsCall& call, std::string_view action,
                                             std::string_view resource, bool any_member,
                                             const iam::IdentityDirectory& directory) const {
  const Principal& principal = call.principal;
  bool management = principal.account_id == directory.management_account_id();
  if (!management && !(any_member && directory.Find(principal.account_id) != nullptr)) {
    return MakeError(ErrorCode::kOrgAccessDenied);
  }
  if (principal.IsRoot()) return Ok();
  auto allowed = env_.authorizer.Authorize(principal, action, resource, call.facts);
  if (!allowed) return MakeError(ErrorCode::kOrgAccessDenied, allowed.error().message);
  return Ok();
}

boost::asio::awaitable<Result<std::string>> OrganizationsService::Handle(
    const OrganizationsCall& call) {
  const Operation* op = FindOperation(call.operation);
  if (op == nullptr) {
    if (IsUnimplemented(call.operation)) {
      co_return MakeError(ErrorCode::kOrgUnsupportedApiEndpoint,
                          "kura does not implement the Organizations operation " +
                              std::string(call.operation) + ".");
    }
    co_return MakeError(ErrorCode::kOrgUnknownOperation);
  }
  auto request = OrganizationsRequest::Parse(call.body);
  if (!request) co_return request.error();
  auto directory = env_.identities.Directory();
  std::string action = "organizations:" + std::string(op->name);
  std::string resource = ResourceOf(*op, *request, directory->management_account_id());
  if (auto allowed = Authorize(call, action, resource, op->any_member, *directory); !allowed) {
    co_return allowed.error();
  }
  OperationInput input{env_, *this, *request, call.principal, std::move(directory)};
  auto answer = co_await op->run(input);
  if (!answer) co_return answer.error();
  co_return json::serialize(*answer);
}

bool OrganizationsService::ReserveEmail(std::string_view email) {
  std::lock_guard lock(pending_mu_);
  return pending_emails_.insert(AsciiLower(email)).second;
}

void OrganizationsService::ReleaseEmail(std::string_view email) {
  std::lock_guard lock(pending_mu_);
  pending_emails_.erase(AsciiLower(email));
}

std::string RenderOrganizationsError(const Error& error) {
  json::object document{{"__type", error.aws_code()}, {"Message", error.message}};
  for (const auto& [name, value] : error.details) document[name] = value;
  return json::serialize(document);
}

std::string_view OrganizationsService::KnownOperation(std::string_view operation) {
  const Operation* op = FindOperation(operation);
  return op == nullptr ? std::string_view() : op->name;
}

}  // namespace kura::organizations
