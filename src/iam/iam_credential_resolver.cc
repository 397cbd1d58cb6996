#include "iam/iam_credential_resolver.h"

#include "policy/arn.h"

namespace kura::iam {

std::shared_ptr<const Principal> UserPrincipal(const User& user, std::string_view account_id,
                                               std::string_view access_key_id) {
  auto p = std::make_shared<Principal>();
  p->type = PrincipalType::kUser;
  p->account_id = std::string(account_id);
  p->arn = user.arn;
  p->user_id = user.id;
  p->user_name = user.name;
  p->access_key_id = std::string(access_key_id);
  return p;
}

std::shared_ptr<const Principal> RootPrincipal(std::string_view account_id,
                                               std::string_view access_key_id) {
  auto p = std::make_shared<Principal>();
  p->type = PrincipalType::kRoot;
  p->account_id = std::string(account_id);
  p->arn = policy::AccountRootArn(account_id);
  p->user_id = std::string(account_id);
  p->access_key_id = std::string(access_key_id);
  return p;
}

IamCredentialResolver::IamCredentialResolver(const IdentitySource& identities,
                                             KeyUsageTracker& usage)
    : identities_(identities), usage_(usage) {}

Result<sigv4::ResolvedCredential> IamCredentialResolver::Resolve(
    std::string_view access_key_id, std::string_view session_token) const {
  if (!session_token.empty()) return MakeError(ErrorCode::kInvalidAccessKeyId);
  std::shared_ptr<const IdentityDirectory> directory = identities_.Directory();
  const IdentitySnapshot* snapshot = directory->AccountOfKey(access_key_id);
  // A closed account's credentials are refused as AWS refuses a suspended account's.
  if (snapshot == nullptr || !snapshot->state().account->active()) {
    return MakeError(ErrorCode::kInvalidAccessKeyId);
  }
  const AccountInfo& account = *snapshot->state().account;
  if (account.root_key && account.root_key->id == access_key_id) {
    if (!account.root_key->active) return MakeError(ErrorCode::kInvalidAccessKeyId);
    return sigv4::ResolvedCredential{account.root_key->secret, RootPrincipal(account.id, access_key_id)};
  }
  const AccessKey* key = snapshot->FindAccessKey(access_key_id);
  const User* user = snapshot->FindUserByAccessKey(access_key_id);
  if (key == nullptr || user == nullptr || !key->active) return MakeError(ErrorCode::kInvalidAccessKeyId);
  return sigv4::ResolvedCredential{
      .secret_key = key->secret,
      .principal = UserPrincipal(*user, snapshot->account_id(), access_key_id),
      .use = usage_.UseOf(access_key_id)};
}

}  // namespace kura::iam

