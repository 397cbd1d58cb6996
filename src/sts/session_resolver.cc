#include "sts/session_resolver.h"

#include <openssl/evp.h>

#include "common/crypto.h"
#include "common/encoding.h"
#include "policy/resolved_identity.h"
#include "sts/session_principal.h"

namespace kura::sts {
namespace {

// SHA-256 of the token with the digest fetched once and a context per thread: EVP_Digest's
// implicit fetch costs more than hashing a typical token (≈ 300 characters) with SHA-NI.
std::string TokenDigest(std::string_view token) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct CtxFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (md == nullptr || ctx == nullptr || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), token.data(), token.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) {
    return Sha256(token);
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace

SessionCredentialResolver::SessionCredentialResolver(const TokenCodec& codec, const Clock& clock,
                                                     const RoleDirectory* roles,
                                                     size_t cache_entries,
                                                     const SessionRegistry* sessions)
    : codec_(codec), clock_(clock), roles_(roles), sessions_(sessions), cache_(cache_entries) {}

Result<std::shared_ptr<const CachedSession>> SessionCredentialResolver::Load(
    std::string_view token) const {
  std::string digest = TokenDigest(token);
  if (auto hit = cache_.Get(digest)) return hit;
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
  cache_.Put(std::move(digest), session);
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
