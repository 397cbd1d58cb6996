// Verifies a request's AWS Signature Version 4 — header auth or presigned query auth — or, for S3,
// Signature Version 2 (see signature_v2.h), and says who made it. The body is not read here: the result carries what PayloadVerifier needs
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
// Signature Version 2 (unless turned off: then refused with kInvalidRequest "Please use
// AWS4-HMAC-SHA256", as AWS's newer regions answer): it has no credential scope, so it is S3's
// only (the server refuses it for IAM/STS); every x-amz-* header is signed by construction; no
// payload hash is signed (UNSIGNED-PAYLOAD, Content-MD5 still checked by PayloadVerifier;
// x-amz-content-sha256, when sent, is signed and verified, but not the aws-chunked signed modes);
//  - header auth: x-amz-date or Date (HTTP dates) within 15 minutes (kRequestTimeTooSkewed),
//    neither valid => kAccessDenied "AWS authentication requires a valid Date or x-amz-date
//    header"; a malformed header => kInvalidArgument;
//  - presigned: AWSAccessKeyId, Signature and Expires (seconds since the epoch, no longest
//    lifetime, as AWS) are required (kAccessDenied); past => kAccessDenied "Request has expired";
//    the session token is the x-amz-security-token parameter (or header).
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
enum class SignatureVersion { kV4, kV2 };

// Signature Version 2: whether it is accepted, and the domain of virtual-hosted-style requests
// (v2 signs the bucket named in the Host as part of the resource).
struct SigV2Options {
  bool enabled = true;
  std::string virtual_host_domain;
};

// What chunk and trailer signatures are chained from.
struct SigningContext {
  Secret signing_key;          // derived key for the request's scope
  std::string amz_date;        // 20130524T000000Z
  std::string scope;           // 20130524/us-east-1/s3/aws4_request
  std::string seed_signature;  // the request's own signature
};

struct AuthResult {
  AuthType type = AuthType::kAnonymous;
  SignatureVersion version = SignatureVersion::kV4;  // kV4 also when anonymous
  std::shared_ptr<const Principal> principal;  // the anonymous principal when unsigned
  std::shared_ptr<const ResolvedGrants> grants;  // the resolver's, for the authorizer (or null)
  std::string access_key_id;
  std::string service;  // from the credential scope: "s3", "iam", "sts" (v2: "s3"; "" if anonymous)
  std::string region;
  std::string session_token;  // X-Amz-Security-Token as sent, "" if none
  TimePoint signed_at{};  // v2 presigned: when it was verified (v2 URLs carry no signing time)
  PayloadMode payload_mode = PayloadMode::kEmptyOrUnknown;
  std::string content_sha256;  // x-amz-content-sha256 as sent (for s3:x-amz-content-sha256)
  SigningContext signing;      // empty when anonymous or v2
};

// The shared anonymous principal.
std::shared_ptr<const Principal> AnonymousPrincipal();

class Verifier {
 public:
  // s3_region: the region S3 requests must be signed for (e.g. "us-east-1").
  Verifier(const CredentialResolver& resolver, const Clock& clock, std::string s3_region,
           SigV2Options sigv2 = {});
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
  Result<AuthResult> VerifyV2(const RequestView& request, std::span<const QueryParam> query,
                              AuthType type) const;

  const CredentialResolver& resolver_;
  const Clock& clock_;
  std::string s3_region_;
  SigV2Options sigv2_;
  mutable SigningKeyCache key_cache_;
};

}  // namespace kura::sigv4
