#include "sts/session_resolver.h"

#include "common/encoding.h"
#include "policy/resolved_identity.h"
#include "sts/session_principal.h"

namespace kura::sts {
namespace {

// The cache key: the token's last 24 characters. A token is base64 of version, key id, nonce,
// ciphertext and the 16-byte AES-GCM tag, so its last 24 characters hold the whole tag — 128
// bits that differ for every token ever sealed (a fresh random nonce each). The key only finds
// the entry; a hit counts only when the whole token equals the one that was opened (compared,
// not hashed: hashing a ~1 KB token with SHA-256 on every request was what made session
// credentials cost more than a long-term key beyond SigV4's own hashing of the token).
constexpr size_t kTagChars = 24;
std::string_view CacheKeyOf(std::string_view token) {
  return token.size() <= kTagChars ? token : token.substr(token.size() - kTagChars);
}

}  // namespace

SessionCredentialResolver::SessionCredentialResolver(const TokenCodec& codec, const Clock& clock,
                                                     const RoleDirectory* roles,
                                                     size_t cache_entries,
                                                     const SessionRegistry* sessions)
    : codec_(codec), clock_(clock), roles_(roles), sessions_(sessions), cache_(cache_entries) {}

Result<std::shared_ptr<const CachedSession>> SessionCredentialResolver::Load(
    std::string_view token) const {
  std::string_view key = CacheKeyOf(token);
  if (auto hit = cache_.Get(key); hit && ConstantTimeEquals(hit->token, token)) return hit;
  auto claims = codec_.Open(token);
  if (!claims) return claims.error();
  auto principal = PrincipalForSession(*claims);
  if (!principal) return principal.error();
  auto session_policy = SessionPolicyOf(*claims);
  if (!session_policy) return session_policy.error();
  auto session = std::make_shared<CachedSession>();
  session->access_key_id = claims->access_key_id;
  session->secret_key = claims->secret_access_key;
  session->expires_at = claims->expires_at;
  session->role_arn = claims->role_arn;
  session->role_id = claims->role_id;
  session->principal = std::move(*principal);
  session->session_policy = std::move(*session_policy);
  if (sessions_ != nullptr) session->use = sessions_->UsageOf(session->access_key_id);
  session->token = std::string(token);
  cache_.Put(std::string(key), session);
  return std::shared_ptr<const CachedSession>(std::move(session));
}

Result<sigv4::ResolvedCredential> SessionCredentialResolver::Resolve(
    std::string_view access_key_id, std::string_view session_token) const {
  if (session_token.empty()) return MakeError(ErrorCode::kInvalidAccessKeyId);
  // Longer than any token kura seals: refuse before hashing it.
  if (session_token.size() > kMaxSessionTokenChars) return MakeError(ErrorCode::kInvalidToken);
  auto session = Load(session_token);
  if (!session) return session.error();
  const CachedSession& s = **session;
  if (!ConstantTimeEquals(access_key_id, s.access_key_id)) {
    return MakeError(ErrorCode::kInvalidToken);
  }
  if (clock_.Now() >= s.expires_at) return MakeError(ErrorCode::kExpiredToken);
  auto grants = Grants(*session);
  if (!grants) return grants.error();
  return sigv4::ResolvedCredential{s.secret_key, s.principal, std::move(*grants), s.use};
}

Result<std::shared_ptr<const ResolvedGrants>> SessionCredentialResolver::Grants(
    const std::shared_ptr<const CachedSession>& cached) const {
  const CachedSession& s = *cached;
  const SessionInfo& info = *s.principal->session;
  // GetSessionToken sessions (no role) carry no session policy: the authorizer looks the
  // caller up as for its long-term keys.
  if (roles_ == nullptr || s.role_arn.empty()) return std::shared_ptr<const ResolvedGrants>();
  auto resolved = std::make_shared<policy::ResolvedIdentity>();
  resolved->principal = s.principal.get();
  if (s.session_policy) resolved->session_policies.push_back(s.session_policy.get());
  if (!roles_->ResolveRoleSession(s.role_arn, s.role_id, info.session_policy_arns, *resolved)) {
    return MakeError(ErrorCode::kInvalidToken);
  }
  resolved->session = cached;
  return std::shared_ptr<const ResolvedGrants>(std::move(resolved));
}

}  // namespace kura::sts
