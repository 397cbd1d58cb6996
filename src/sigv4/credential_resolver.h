// The one thing SigV4 verification needs from the identity system: given an access key id (and
// the session token, for temporary credentials), the secret to check the signature with and the
// principal the request will act as. The server implements it over IAM (long-term keys) and STS
// (session tokens); tests use a map. sigv4/ knows nothing else of IAM.
// Thread-safety: implementations must allow concurrent Resolve calls.
#pragma once

#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/principal.h"
#include "common/secret.h"

namespace kura::sigv4 {

// Where a credential is told that it authenticated a request (its signature verified): the STS
// session registry's "last used" of a session (sts/session_registry.h), an IAM access key's
// (iam/key_usage_tracker.h). Called on the request path of every such request, so
// implementations must be cheap and must not block.
class CredentialUse {
 public:
  virtual ~CredentialUse() = default;
  // `source_ip` as the transport saw it ("" if unknown); `service` and `region` those the request
  // was signed for (SigV4's credential scope; SigV2 signs for S3 in the server's region).
  virtual void Used(TimePoint when, std::string_view source_ip, std::string_view service,
                    std::string_view region) const noexcept = 0;
};

struct ResolvedCredential {
  Secret secret_key;                            // the 40-character secret access key
  std::shared_ptr<const Principal> principal;   // never null on success
  std::shared_ptr<const ResolvedGrants> grants = nullptr;  // for the authorizer; may be null
  std::shared_ptr<const CredentialUse> use = nullptr;  // told of each verified request; may be null
};

class CredentialResolver {
 public:
  virtual ~CredentialResolver() = default;
  // session_token is X-Amz-Security-Token ("" if absent). Errors are returned to the client as
  // they are: kInvalidAccessKeyId (unknown key), kInvalidToken (bad token), kExpiredToken,
  // kAccessDenied (inactive key)... kInvalidAccessKeyId also says "not a credential of mine":
  // CredentialResolverChain then asks the next resolver.
  virtual Result<ResolvedCredential> Resolve(std::string_view access_key_id,
                                             std::string_view session_token) const = 0;
};

// The server's resolvers in order (root key → IAM users' keys → session tokens), built once:
// each is asked in turn until one answers other than kInvalidAccessKeyId. A credential none
// knows is kInvalidToken when it carries a session token, else kInvalidAccessKeyId.
class CredentialResolverChain final : public CredentialResolver {
 public:
  // Borrows the resolvers, which must outlive the chain; none may be null.
  explicit CredentialResolverChain(std::vector<const CredentialResolver*> resolvers)
      : resolvers_(std::move(resolvers)) {}

  Result<ResolvedCredential> Resolve(std::string_view access_key_id,
                                     std::string_view session_token) const override;

 private:
  const std::vector<const CredentialResolver*> resolvers_;
};

}  // namespace kura::sigv4
