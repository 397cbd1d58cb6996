#include <gtest/gtest.h>

#include "api/auth_failure.h"

namespace kura::api {
namespace {
using metrics::AuthFailure;

TEST(AuthFailureOf, NamesTheReasonInEveryApisSpelling) {
  EXPECT_EQ(AuthFailureOf(ErrorCode::kSignatureDoesNotMatch), AuthFailure::kBadSignature);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kSignatureDoesNotMatchIamSts), AuthFailure::kBadSignature);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kKmsInvalidSignature), AuthFailure::kBadSignature);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kExpiredToken), AuthFailure::kExpiredToken);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kExpiredTokenIamSts), AuthFailure::kExpiredToken);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kExpiredTokenException), AuthFailure::kExpiredToken);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kInvalidAccessKeyId), AuthFailure::kUnknownKey);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kInvalidAccessKeyIdIamSts), AuthFailure::kUnknownKey);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kUnrecognizedClient), AuthFailure::kUnknownKey);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kInvalidClientTokenId), AuthFailure::kInvalidToken);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kRequestTimeTooSkewed), AuthFailure::kClockSkew);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kAuthorizationHeaderMalformed), AuthFailure::kMalformed);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kMissingAuthenticationToken), AuthFailure::kMissingAuth);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kAccessDenied), AuthFailure::kDenied);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kKmsAccessDenied), AuthFailure::kDenied);
}

TEST(AuthFailureOf, OtherErrorsAreNoAuthFailure) {
  EXPECT_EQ(AuthFailureOf(ErrorCode::kNoSuchBucket), std::nullopt);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kInternalError), std::nullopt);
  EXPECT_EQ(AuthFailureOf(ErrorCode::kMalformedXML), std::nullopt);
}

}  // namespace
}  // namespace kura::api
