// Resolves temporary credentials: an ASIA… access key id with its X-Amz-Security-Token.
// The token is opened with the key ring (sts/session_token.h) — no database read — and the
// principal it describes (sts/session_principal.h, session policy compiled) is cached by the
// token's SHA-256, so later requests cost a hash and a lookup. Every request still checks:
//  - the token was issued for this access key id (else kInvalidToken),
//  - the session has not expired at the clock's now (kExpiredToken; presigned URLs made with
//    session credentials so stop at the earlier of their own expiry and the session's),
//  - with a RoleDirectory: the session's role still exists with the same role id (else
//    kInvalidToken: deleting a role, or re-creating it under the same name, ends its sessions);
//    the same snapshot read yields the role's policies, which the credential carries to the
//    authorizer with the session's compiled policies (policy::ResolvedIdentity), so the role
//    is looked up once per request.
// Errors are S3's codes; the pipeline maps them for IAM/STS (InvalidClientTokenId, 403
// ExpiredToken). Requests without a token are not its own: kInvalidAccessKeyId (the
// sigv4::CredentialResolverChain asks it after the long-term key resolvers).
// Thread-safety: Resolve may be called concurrently.
#pragma once

#include <memory>

#include "common/clock.h"
#include "sigv4/credential_resolver.h"
#include "sts/role_directory.h"
#include "sts/session_cache.h"
#include "sts/session_registry.h"
#include "sts/session_token.h"

namespace kura::sts {

inline constexpr size_t kDefaultSessionCacheEntries = 16384;

class SessionCredentialResolver final : public sigv4::CredentialResolver {
 public:
  // Borrows everything; `roles` and `sessions` may be null. With `sessions`, a verified request
  // updates its session's "last used" there (looked up once, when the token is first opened).
  SessionCredentialResolver(const TokenCodec& codec, const Clock& clock,
                            const RoleDirectory* roles = nullptr,
                            size_t cache_entries = kDefaultSessionCacheEntries,
                            const SessionRegistry* sessions = nullptr);

  Result<sigv4::ResolvedCredential> Resolve(std::string_view access_key_id,
                                            std::string_view session_token) const override;

  size_t cached_sessions() const { return cache_.size(); }

 private:
  Result<std::shared_ptr<const CachedSession>> Load(std::string_view token) const;
  // The policies a role session's request acts under; null for sessions without a role.
  Result<std::shared_ptr<const ResolvedGrants>> Grants(
      const std::shared_ptr<const CachedSession>& cached) const;

  const TokenCodec& codec_;
  const Clock& clock_;
  const RoleDirectory* roles_;
  const SessionRegistry* sessions_;
  mutable SessionCache cache_;
};

}  // namespace kura::sts
