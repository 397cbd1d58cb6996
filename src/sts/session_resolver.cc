#include "sts/session_resolver.h"

#include <openssl/evp.h>

#include "common/crypto.h"
#include "common/encoding.h"
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
                                                     const sigv4::CredentialResolver* next,
                                                     size_t cache_entries)
    : codec_(codec), clock_(clock), roles_(roles), next_(next), cache_(cache_entries) {}

Result<std::shared_ptr<const CachedSession>> SessionCredentialResolver::Load(
    std::string_view token) const {
  std::string digest = TokenDigest(token);
  if (auto hit = cache_.Get(digest)) return hit;
  auto claims = codec_.Open(token);
  if (!claims) return claims.error();
  auto principal = PrincipalForSession(*claims);
  if (!principal) return principal.error();
  auto session = std::make_shared<CachedSession>();
  session->access_key_id = claims->access_key_id;
  session->secret_key = claims->secret_access_key;
  session->expires_at = claims->expires_at;
  session->role_arn = claims->role_arn;
  session->role_id = claims->role_id;
  session->principal = std::move(*principal);
  cache_.Put(std::move(digest), session);
  return std::shared_ptr<const CachedSession>(std::move(session));
}

Result<sigv4::ResolvedCredential> SessionCredentialResolver::Resolve(
    std::string_view access_key_id, std::string_view session_token) const {
  if (session_token.empty()) {
    if (next_ != nullptr) return next_->Resolve(access_key_id, session_token);
    return MakeError(ErrorCode::kInvalidAccessKeyId);
  }
  // Longer than any token kura seals: refuse before hashing it.
  if (session_token.size() > kMaxSessionTokenChars) return MakeError(ErrorCode::kInvalidToken);
  auto session = Load(session_token);
  if (!session) return session.error();
  const CachedSession& s = **session;
  if (!ConstantTimeEquals(access_key_id, s.access_key_id)) {
    return MakeError(ErrorCode::kInvalidToken);
  }
  if (clock_.Now() >= s.expires_at) return MakeError(ErrorCode::kExpiredToken);
  if (roles_ != nullptr && !s.role_arn.empty() && !roles_->RoleIsCurrent(s.role_arn, s.role_id)) {
    return MakeError(ErrorCode::kInvalidToken);
  }
  return sigv4::ResolvedCredential{s.secret_key, s.principal};
}

}  // namespace kura::sts
