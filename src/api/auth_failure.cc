#include "api/auth_failure.h"

namespace kura::api {

std::optional<metrics::AuthFailure> AuthFailureOf(ErrorCode code) {
  using metrics::AuthFailure;
  switch (code) {
    case ErrorCode::kSignatureDoesNotMatch:
    case ErrorCode::kSignatureDoesNotMatchIamSts:  // also IAM/STS's clock skew (ForQueryApi)
    case ErrorCode::kKmsInvalidSignature:
      return AuthFailure::kBadSignature;
    case ErrorCode::kExpiredToken:
    case ErrorCode::kExpiredTokenIamSts:
    case ErrorCode::kExpiredTokenException:
      return AuthFailure::kExpiredToken;
    case ErrorCode::kInvalidToken:
    case ErrorCode::kInvalidClientTokenId:
    case ErrorCode::kInvalidIdentityToken:
      return AuthFailure::kInvalidToken;
    case ErrorCode::kInvalidAccessKeyId:
    case ErrorCode::kInvalidAccessKeyIdIamSts:
    case ErrorCode::kUnrecognizedClient:
      return AuthFailure::kUnknownKey;
    case ErrorCode::kRequestTimeTooSkewed:
      return AuthFailure::kClockSkew;
    case ErrorCode::kAuthorizationHeaderMalformed:
    case ErrorCode::kAuthorizationQueryParametersError:
    case ErrorCode::kIncompleteSignature:
    case ErrorCode::kKmsIncompleteSignature:
      return AuthFailure::kMalformed;
    case ErrorCode::kMissingAuthenticationToken:
    case ErrorCode::kKmsMissingAuthenticationToken:
      return AuthFailure::kMissingAuth;
    case ErrorCode::kAccessDenied:
    case ErrorCode::kKmsAccessDenied:
    case ErrorCode::kOrgAccessDenied:
      return AuthFailure::kDenied;
    default:
      return std::nullopt;
  }
}

}  // namespace kura::api
