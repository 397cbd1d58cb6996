// Verifies a request's AWS Signature Version 4 — header auth or presigned query auth — and
// says who made it. The body is not read here: the result carries what PayloadVerifier needs
// (payload mode, declared SHA-256, signing key and seed signature for aws-chunked bodies).
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
// (header auth, presigned URLs, chunked uploads). S3's error codes are used throughout; the
// server maps them for IAM/STS.
//
// Rules beyond the canonical request:
//  - no Authorization header and no X-Amz-Algorithm/Credential/Signature: anonymous (the
//    caller decides whether that is allowed); both header and query auth: kInvalidArgument;
//  - `host` must be signed; for S3 (header and presigned auth) every x-amz-* header present
//    must be signed, except x-amz-content-sha256 (bound into the canonical request as the
//    payload hash), else kAccessDenied with <HeadersNotSigned>;
//  - Authorization, x-amz-date, Date, x-amz-content-sha256 and x-amz-security-token appear at
//    most once (kInvalidArgument); presigned auth parameters at most once
//    (kAuthorizationQueryParametersError);
//  - header auth: x-amz-date (or Date) within 15 minutes of the clock (kRequestTimeTooSkewed);
//    the scope date equals the request date; service s3 requires x-amz-content-sha256 and its
//    scope region must be the server's region (iam/sts accept any region);
//  - presigned: X-Amz-Expires 1..604800, expired => kAccessDenied "Request has expired", a
//    date more than 15 minutes ahead => kAccessDenied "Request is not valid yet"; the payload
//    is UNSIGNED-PAYLOAD for S3 unless x-amz-content-sha256 says otherwise;
//  - signatures are compared in constant time; a mismatch returns S3's diagnostic details.
// Thread-safety: Verify is safe to call concurrently (the signing-key cache is locked).
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "common/principal.h"
#include "common/secret.h"
#include "sigv4/authorization.h"
#include "sigv4/credential_resolver.h"
#include "sigv4/request_view.h"
#include "sigv4/signing_key.h"

namespace kura::sigv4 {

enum class AuthType { kAnonymous, kHeader, kPresigned };

// What chunk and trailer signatures are chained from.
struct SigningContext {
  Secret signing_key;          // derived key for the request's scope
  std::string amz_date;        // 20130524T000000Z
  std::string scope;           // 20130524/us-east-1/s3/aws4_request
  std::string seed_signature;  // the request's own signature
};

struct AuthResult {
  AuthType type = AuthType::kAnonymous;
  std::shared_ptr<const Principal> principal;  // the anonymous principal when unsigned
  std::shared_ptr<const ResolvedGrants> grants;  // the resolver's, for the authorizer (or null)
  std::string access_key_id;
  std::string service;  // from the credential scope: "s3", "iam", "sts" ("" if anonymous)
  std::string region;
  std::string session_token;  // X-Amz-Security-Token as sent, "" if none
  TimePoint signed_at{};
  PayloadMode payload_mode = PayloadMode::kEmptyOrUnknown;
  std::string content_sha256;  // x-amz-content-sha256 as sent (for s3:x-amz-content-sha256)
  SigningContext signing;      // empty when anonymous
};

// The shared anonymous principal.
std::shared_ptr<const Principal> AnonymousPrincipal();

class Verifier {
 public:
  // s3_region: the region S3 requests must be signed for (e.g. "us-east-1").
  Verifier(const CredentialResolver& resolver, const Clock& clock, std::string s3_region);
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  Result<AuthResult> Verify(const RequestView& request) const;

 private:
  struct Claim;
  Result<AuthResult> VerifyClaim(const RequestView& request, std::span<const QueryParam> query,
                                 const Claim& claim) const;
  Result<void> CheckTime(const Claim& claim, std::string_view request_time) const;
  Result<std::string> PayloadHashFor(const RequestView& request, const Claim& claim,
                                     AuthResult& result) const;

  const CredentialResolver& resolver_;
  const Clock& clock_;
  std::string s3_region_;
  mutable SigningKeyCache key_cache_;
};

}  // namespace kura::sigv4
