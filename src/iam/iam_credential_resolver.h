// Resolves IAM users' long-term access keys (AKIA…), and member accounts' root keys, for SigV4
// verification, from the current identity directory (the management account's root key is
// api::RootCredentialResolver's); a closed account's keys are unknown: an unknown or inactive key is kInvalidAccessKeyId (AWS refuses an inactive
// key at once); a request carrying a session token is not a long-term key's: kInvalidAccessKeyId
// too, so that sigv4::CredentialResolverChain asks the next resolver (STS). Records each key's last use in
// memory (no write per request) for GetAccessKeyLastUsed.
// Thread-safety: concurrent Resolve calls are safe.
#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.h"
#include "iam/identity_model.h"
#include "sigv4/credential_resolver.h"

namespace kura::iam {

// When and where a key was last used (GetAccessKeyLastUsed). In memory only: a restart forgets.
class KeyUsageTracker {
 public:
  void Record(std::string_view access_key_id, TimePoint when);
  std::optional<TimePoint> LastUsedAt(std::string_view access_key_id) const;

 private:
  mutable std::shared_mutex mutex_;  // exclusive only to insert a key seen the first time
  std::unordered_map<std::string, std::unique_ptr<std::atomic<int64_t>>> last_used_ms_;
};

class IamCredentialResolver final : public sigv4::CredentialResolver {
 public:
  IamCredentialResolver(const IdentitySource& identities, const Clock& clock,
                        KeyUsageTracker& usage);

  Result<sigv4::ResolvedCredential> Resolve(std::string_view access_key_id,
                                            std::string_view session_token) const override;

 private:
  const IdentitySource& identities_;
  const Clock& clock_;
  KeyUsageTracker& usage_;
};

// The principal an account root's requests act as.
std::shared_ptr<const Principal> RootPrincipal(std::string_view account_id,
                                               std::string_view access_key_id);

// The principal an IAM user's requests act as.
std::shared_ptr<const Principal> UserPrincipal(const User& user, std::string_view account_id,
                                               std::string_view access_key_id);

}  // namespace kura::iam
