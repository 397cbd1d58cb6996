#include "s3/owners.h"

#include "s3/bucket_policy_cache.h"
#include "s3/response.h"

namespace kura::s3 {

std::string_view CallerAccount(const S3Env& env, const S3Call& call) {
  if (call.principal == nullptr || call.principal->IsAnonymous()) return env.account_id;
  return call.principal->account_id;
}

std::string_view OwnerAccountOf(const S3Env& env, const store::BucketRecord& bucket) {
  return bucket.owner_account.empty() ? std::string_view(env.account_id)
                                      : std::string_view(bucket.owner_account);
}

S3Account AccountView(const S3Env& env, std::string_view account_id) {
  // The management account keeps --account-name and --account-email, as before accounts.
  if (account_id == env.account_id) {
    return S3Account{.id = env.account_id,
                     .canonical_id = CanonicalUserId(account_id),
                     .display_name = env.account_name,
                     .email = env.account_email,
                     .active = true};
  }
  if (env.accounts != nullptr) {
    if (auto account = env.accounts->Find(account_id)) return std::move(*account);
  }
  return S3Account{.id = std::string(account_id),
                   .canonical_id = CanonicalUserId(account_id),
                   .display_name = {},
                   .email = {},
                   .active = true};
}

S3Account BucketOwnerView(S3Env& env, std::string_view bucket) {
  std::string owner = env.policies.OwnerOf(bucket);
  return AccountView(env, owner.empty() ? std::string_view(env.account_id) : owner);
}

}  // namespace kura::s3
