#include "sigv4/credential_resolver.h"

namespace kura::sigv4 {

Result<ResolvedCredential> CredentialResolverChain::Resolve(std::string_view access_key_id,
                                                            std::string_view session_token) const {
  for (const CredentialResolver* resolver : resolvers_) {
    auto resolved = resolver->Resolve(access_key_id, session_token);
    if (resolved || resolved.error().code != ErrorCode::kInvalidAccessKeyId) return resolved;
  }
  return MakeError(session_token.empty() ? ErrorCode::kInvalidAccessKeyId : ErrorCode::kInvalidToken);
}

}  // namespace kura::sigv4
