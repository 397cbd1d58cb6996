#include "organizations/account_creation.h"

#include "common/ids.h"
#include "common/text.h"
#include "policy/arn.h"
#include "policy/policy.h"

namespace kura::organizations {
namespace {

std::string TrustPolicy(std::string_view management_account_id) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":")" +
         policy::AccountRootArn(management_account_id) + R"("},"Action":"sts:AssumeRole"}]})";
}

constexpr std::string_view kAdministratorAccess =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

}  // namespace

std::shared_ptr<const iam::AccountInfo> NewMemberAccount(const iam::IdentityDirectory& directory,
                                                         std::string name, std::string email,
                                                         Random& random, TimePoint now) {
  auto account = std::make_shared<iam::AccountInfo>();
  do {
    account->id = NewAccountId(random);
  } while (directory.Find(account->id) != nullptr);
  account->name = std::move(name);
  account->email = std::move(email);
  account->joined = now;
  account->root_key =
      iam::AccessKey{NewId(random, IdPrefix::kAccessKey), Secret(NewSecretKey(random)), true, now};
  return account;
}

iam::IdentityStore::Mutation AccessRoleMutation(std::string management_account_id,
                                                std::string role_name, Random& random,
                                                TimePoint now) {
  return [management = std::move(management_account_id), role_name = std::move(role_name), &random,
          now](iam::IdentityState& state) -> Result<void> {
    auto role = std::make_shared<iam::Role>();
    role->name = role_name;
    role->id = NewId(random, IdPrefix::kRole);
    role->arn = iam::IamArn(state.account_id, "role", "/", role_name);
    role->created = now;
    role->trust_policy_document = TrustPolicy(management);
    auto trust = policy::ParsePolicy(role->trust_policy_document, policy::PolicyKind::kTrust,
                                     role->arn + "/trust");
    if (!trust) return MakeError(ErrorCode::kInternalError, trust.error().message);
    role->trust_policy = std::move(*trust);
    auto admin = policy::ParsePolicy(kAdministratorAccess, policy::PolicyKind::kIdentity,
                                     role->arn + "/" + std::string(kAccessRolePolicyName));
    if (!admin) return MakeError(ErrorCode::kInternalError, admin.error().message);
    role->inline_policies.push_back(iam::InlinePolicy{
        std::string(kAccessRolePolicyName), std::string(kAdministratorAccess), std::move(*admin)});
    state.roles[iam::NameKey(role_name)] = std::move(role);
    return Ok();
  };
}

bool EmailTaken(const iam::IdentityDirectory& directory, std::string_view email) {
  for (const auto& [id, snapshot] : directory.accounts()) {
    const auto& account = snapshot->state().account;
    if (account != nullptr && EqualsIgnoreAsciiCase(account->email, email)) return true;
  }
  return false;
}

}  // namespace kura::organizations
