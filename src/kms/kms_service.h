// The AWS KMS JSON API of the built-in KMS, on kura's one endpoint: POST / with
// `X-Amz-Target: TrentService.<Operation>`, a JSON body (kms/kms_request.h), SigV4 with service
// "kms". The pipeline authenticates; this service parses the operation's input, finds the key
// the operation acts on (KeyId, TargetKeyId, AliasName's target, or the key a CiphertextBlob
// names) and authorizes the operation's kms:* action on that key's ARN before running it:
//   - the key policy (a resource policy) must allow the caller: naming it (or its role) directly
//     allows; naming its account's root ("Enable IAM User Permissions", the default) delegates
//     to the account's IAM policies, which must then allow it too (the pipeline's Authorizer);
//     an explicit Deny in either denies;
//   - CreateKey, ListKeys and ListAliases act on no key: IAM policies on resource "*" decide;
//   - the account's root user may do everything on its own keys.
// Operations: https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html; shapes
// and errors as botocore's kms/2014-11-01 model. Errors render as KMS's JSON
// {"__type": "...", "message": "..."} (RenderKmsError).
// Thread-safety: Handle may be called concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/principal.h"
#include "kms/key_registry.h"
#include "policy/authorizer.h"

namespace kura::kms {

inline constexpr std::string_view kTargetPrefix = "TrentService.";
inline constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";

struct KmsCall {
  std::string_view operation;  // X-Amz-Target without kTargetPrefix
  std::string_view body;
  const Principal& principal;
  const policy::RequestAttributes& facts;
};

class KmsService {
 public:
  // Borrows both, which must outlive it.
  KmsService(KeyRegistry& registry, const policy::Authorizer& authorizer);
  KmsService(const KmsService&) = delete;
  KmsService& operator=(const KmsService&) = delete;

  // The operation's JSON answer, or the error to render. kKmsUnknownOperation for an operation
  // KMS does not have or kura does not implement.
  boost::asio::awaitable<Result<std::string>> Handle(const KmsCall& call);
  // `operation` as the operation table spells it (constant storage), or "" when kura has no such
  // operation: a name safe to use as a metrics label, never the client's own string.
  static std::string_view KnownOperation(std::string_view operation);

  // Whether `principal` may take kms:`action` on the key `key_arn` by the key's policy (and the
  // account's IAM policies when the key policy delegates to them), as KMS decides for its own
  // operations: for another service's use of a key on the caller's behalf (S3's SSE-KMS
  // kms:GenerateDataKey / kms:Decrypt). kKmsAccessDenied when not; kKmsNotFound when no key.
  Result<void> AuthorizeKeyUse(const Principal& principal, std::string_view action,
                               std::string_view key_arn, const policy::RequestAttributes& facts) const;

 private:
  Result<void> AuthorizeOnKey(const KmsCall& call, std::string_view action,
                              const KmsKey& key) const;

  KeyRegistry& registry_;
  const policy::Authorizer& authorizer_;
};

// The JSON error document of a KMS error.
std::string RenderKmsError(const Error& error);

}  // namespace kura::kms
