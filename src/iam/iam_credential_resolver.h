// Resolves IAM users' long-term access keys (AKIA…), and member accounts' root keys, for SigV4
// verification, from the current identity directory (the management account's root key is
// api::RootCredentialResolver's); a closed account's keys are unknown: an unknown or inactive key is kInvalidAccessKeyId (AWS refuses an inactive
// key at once); a request carrying a session token is not a long-term key's: kInvalidAccessKeyId
// too, so that sigv4::CredentialResolverChain asks the next resolver (STS). An IAM user's key
// comes with its KeyUsageTracker slot (ResolvedCredential::use): the verifier records the use
// once the signature matched, for GetAccessKeyLastUsed; Resolve itself records nothing.
// Thread-safety: concurrent Resolve calls are safe.
#pragma once

#include <memory>
#include <string_view>

#include "iam/identity_model.h"
#include "iam/key_usage_tracker.h"
#include "sigv4/credential_resolver.h"

namespace kura::iam {

class IamCredentialResolver final : public sigv4::CredentialResolver {
 public:
  IamCredentialResolver(const IdentitySource& identities, KeyUsageTracker& usage);

  Result<sigv4::ResolvedCredential> Resolve(std::string_view access_key_id,
                                            std::string_view session_token) const override;

 private:
  const IdentitySource& identities_;
  KeyUsageTracker& usage_;
};

// The principal an account root's requests act as.
std::shared_ptr<const Principal> RootPrincipal(std::string_view account_id,
                                               std::string_view access_key_id);

// The principal an IAM user's requests act as.
std::shared_ptr<const Principal> UserPrincipal(const User& user, std::string_view account_id,
                                               std::string_view access_key_id);

}  // namespace kura::iam
