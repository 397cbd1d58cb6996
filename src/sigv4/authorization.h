// Parsing of what a client claims about its signature, before any cryptography: the
// `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html)
// and the presigned-URL query parameters X-Amz-Algorithm/Credential/Date/Expires/
// SignedHeaders/Signature/Security-Token
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html), plus the
// x-amz-content-sha256 payload modes. Errors carry S3's codes and messages
// (AuthorizationHeaderMalformed / AuthorizationQueryParametersError).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "sigv4/canonical_request.h"

namespace kura::sigv4 {

enum class PayloadMode {
  kEmptyOrUnknown,            // no x-amz-content-sha256 (non-S3; hash taken from the body)
  kUnsigned,                  // UNSIGNED-PAYLOAD
  kSigned,                    // 64 hex digits: the payload's SHA-256
  kStreamingSigned,           // STREAMING-AWS4-HMAC-SHA256-PAYLOAD
  kStreamingUnsignedTrailer,  // STREAMING-UNSIGNED-PAYLOAD-TRAILER
  kStreamingSignedTrailer,    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
};

// The mode an x-amz-content-sha256 value names; kInvalidArgument for anything else
// (including the SigV4a ECDSA forms, which kura does not implement).
Result<PayloadMode> ParsePayloadMode(std::string_view content_sha256);

// The claim's credential "AKID/20130524/us-east-1/s3/aws4_request".
struct CredentialScopeClaim {
  std::string access_key_id;
  std::string date;     // yyyymmdd
  std::string region;
  std::string service;
  std::string Scope() const { return CredentialScope(date, region, service); }
};

struct HeaderClaim {
  CredentialScopeClaim credential;
  std::string signed_headers;  // as sent: "host;x-amz-date"
  std::string signature;       // as sent
};

// Parses an Authorization header value. kInvalidRequest for SigV2 ("AWS AKID:sig", which the
// Verifier hands to signature_v2.h first),
// kInvalidArgument for other schemes, kAuthorizationHeaderMalformed for a malformed V4 header.
Result<HeaderClaim> ParseAuthorizationHeader(std::string_view value);

struct QueryClaim {
  CredentialScopeClaim credential;
  std::string amz_date;        // X-Amz-Date, validated
  int64_t expires_seconds = 0;  // X-Amz-Expires, 1..604800
  std::string signed_headers;
  std::string signature;
  std::string session_token;   // X-Amz-Security-Token or ""
};

// Parses presigned-URL parameters; kAuthorizationQueryParametersError when one is missing,
// malformed (messages as S3's) or repeated.
Result<QueryClaim> ParsePresignedQuery(std::span<const QueryParam> params);

// Whether the query carries SigV4 presigned parameters (X-Amz-Algorithm, -Credential or
// -Signature). SigV2's: HasV2QueryAuth (signature_v2.h).
bool HasPresignedV4Params(std::span<const QueryParam> params);

// "the Credential is mal-formed; ..." style reasons; the caller prefixes its own context.
// Returns "" when the credential string is well-formed and fills `out`.
std::string ParseCredential(std::string_view text, CredentialScopeClaim& out);

}  // namespace kura::sigv4
