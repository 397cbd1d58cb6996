#include "iam/iam_credential_resolver.h"

#include <mutex>

#include "policy/arn.h"

namespace kura::iam {
namespace {
int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
}  // namespace

void KeyUsageTracker::Record(std::string_view access_key_id, TimePoint when) {
  {
    std::shared_lock read(mutex_);
    auto it = last_used_ms_.find(std::string(access_key_id));
    if (it != last_used_ms_.end()) {
      it->second->store(Millis(when), std::memory_order_relaxed);
      return;
    }
  }
  std::unique_lock lock(mutex_);
  auto& slot = last_used_ms_[std::string(access_key_id)];
  if (!slot) slot = std::make_unique<std::atomic<int64_t>>(0);
  slot->store(Millis(when), std::memory_order_relaxed);
}

std::optional<TimePoint> KeyUsageTracker::LastUsedAt(std::string_view access_key_id) const {
  std::shared_lock lock(mutex_);
  auto it = last_used_ms_.find(std::string(access_key_id));
  if (it == last_used_ms_.end()) return std::nullopt;
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::milliseconds(it->second->load(std::memory_order_relaxed))));
}

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

IamCredentialResolver::IamCredentialResolver(const IdentitySource& identities, const Clock& clock,
                                             KeyUsageTracker& usage)
    : identities_(identities), clock_(clock), usage_(usage) {}

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
  usage_.Record(access_key_id, clock_.Now());
  return sigv4::ResolvedCredential{key->secret,
                                   UserPrincipal(*user, snapshot->account_id(), access_key_id)};
}

}  // namespace kura::iam

