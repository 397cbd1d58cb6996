// AWS Signature Version 2 for S3 as pure functions: parsing the `Authorization: AWS AKID:sig`
// header and the presigned-URL parameters (AWSAccessKeyId, Signature, Expires), and the string
// to sign. Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
// and, for what clients actually sign, botocore's HmacV1Auth / HmacV1QueryAuth / HmacV1PostAuth.
//
//   StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n
//                  CanonicalizedAmzHeaders CanonicalizedResource
//   Signature    = Base64(HMAC-SHA1(SecretAccessKey, StringToSign))
//
// Date is the Date header, "" when x-amz-date is sent (which is then among the amz headers);
// for presigned URLs it is the Expires value. CanonicalizedAmzHeaders: one "name:value\n" line
// per x-amz-* name, lower-cased, sorted, values trimmed and a repeated name's values joined
// with ','. CanonicalizedResource: "/bucket" when the bucket is in the Host, the path as sent
// (a bucket's own resource always ends in '/': "/bucket/"), then the sub-resources of
// kV2SubResources with their decoded values, sorted by name.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/secret.h"
#include "sigv4/canonical_request.h"
#include "sigv4/request_view.h"

namespace kura::sigv4 {

// What a v2 request claims, before any cryptography.
struct V2Claim {
  std::string access_key_id;
  std::string signature;      // base64, as sent
  std::string expires;        // presigned: Expires as sent (it is the Date signed); else ""
  TimePoint expires_at{};     // presigned: Expires as a time
  std::string session_token;  // presigned: the x-amz-security-token parameter, if any
};

// Whether an Authorization value uses the v2 scheme: "AWS " then AKID:signature.
bool IsV2Authorization(std::string_view value);

// Parses "AWS AKID:signature". kInvalidArgument (S3's message) unless both parts are there.
Result<V2Claim> ParseV2Authorization(std::string_view value);

// Whether the query names v2 presigned auth (AWSAccessKeyId or Signature).
bool HasV2QueryAuth(std::span<const QueryParam> params);

// Parses AWSAccessKeyId, Signature, Expires (seconds since the epoch) and x-amz-security-token,
// each at most once. kAccessDenied with S3's messages when one is missing or Expires is not a
// number; kInvalidArgument when one is repeated.
Result<V2Claim> ParseV2Query(std::span<const QueryParam> params);

// The CanonicalizedAmzHeaders lines of these fields (those not named x-amz-* are skipped).
std::string V2CanonicalAmzHeaders(std::span<const HeaderField> fields);

// The CanonicalizedResource of a raw request-target; `host_bucket` is the bucket named by the
// Host header of a virtual-hosted request ("" for path style).
std::string V2CanonicalResource(std::string_view host_bucket, std::string_view raw_target);

// Whether a query parameter name is a sub-resource v2 signs: botocore's QSAOfInterest, a
// superset of AWS's documented list, since it is what clients sign.
bool IsV2SubResource(std::string_view name);

struct V2StringToSignParts {
  std::string_view method;
  std::string_view content_md5;
  std::string_view content_type;
  std::string_view date;
  std::string_view canonical_amz_headers;  // each line ends with '\n'
  std::string_view canonical_resource;
};
std::string V2StringToSign(const V2StringToSignParts& parts);

// Base64(HMAC-SHA1(secret, string_to_sign)).
std::string V2Signature(const Secret& secret_access_key, std::string_view string_to_sign);

// Whether `provided` is the v2 signature of string_to_sign; constant-time comparison. Also the
// check of a v2 browser POST form, whose string to sign is the base64 policy itself.
bool V2SignatureMatches(const Secret& secret_access_key, std::string_view string_to_sign,
                        std::string_view provided);

}  // namespace kura::sigv4
