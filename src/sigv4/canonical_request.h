// SigV4's canonical request and string to sign, as pure functions.
// Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html and, for S3,
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html.
//
//   CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n
//                      SignedHeaders \n HashedPayload
//   StringToSign     = "AWS4-HMAC-SHA256" \n AmzDate \n Scope \n hex(SHA256(CanonicalRequest))
//
// The path rule differs by service: S3 neither normalizes nor double-encodes (the canonical
// URI is UriEncode(PercentDecode(path)) with '/' kept), every other service removes dot
// segments and empty segments and URI-encodes the path as sent (so "%20" becomes "%2520").
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/form_encoding.h"
#include "sigv4/request_view.h"

namespace kura::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kScopeTerminator = "aws4_request";
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

struct PathOptions {
  bool normalize = false;      // remove "." / ".." / empty segments (non-S3)
  bool double_encode = false;  // UriEncode the raw path instead of its decoded form (non-S3)
};
// S3: {false, false}; any other service: {true, true}.
PathOptions PathOptionsFor(std::string_view service);

// One query parameter, percent-decoded ('+' stays '+'). "a" and "a=" both give value "".
using QueryParam = UrlEncodedPair;
// Splits a raw query string on '&' (empty pieces skipped) and decodes names and values.
// kInvalidURI on a malformed percent escape.
Result<std::vector<QueryParam>> ParseQuery(std::string_view raw_query);

// The canonical URI of a raw path ("" counts as "/"). kInvalidURI on a bad escape (S3 form).
Result<std::string> CanonicalUri(std::string_view raw_path, PathOptions options);

// Names and values UriEncoded, sorted by encoded name then encoded value, joined "n=v&n=v".
// With skip_signature, X-Amz-Signature is left out (presigned URLs).
std::string CanonicalQueryString(std::span<const QueryParam> params, bool skip_signature);

// A header value trimmed of surrounding whitespace, inner runs of whitespace made one space.
std::string CanonicalHeaderValue(std::string_view value);
// As CanonicalHeaderValue, appended to `out`.
void AppendCanonicalHeaderValue(std::string& out, std::string_view value);

// "name:value\n" for each name of signed_headers (lower-case, in the given order); repeated
// headers' values joined with ','. An absent header yields "name:\n".
std::string CanonicalHeaders(std::span<const HeaderField> headers,
                             std::span<const std::string_view> signed_headers);

// Splits "host;x-amz-date" into names; empty if the list is empty or has an empty name.
std::vector<std::string_view> SplitSignedHeaders(std::string_view signed_headers);

struct CanonicalRequestParts {
  std::string_view method;
  std::string_view canonical_uri;
  std::string_view canonical_query;
  std::string_view canonical_headers;  // each line ends with '\n'
  std::string_view signed_headers;     // "host;x-amz-date"
  std::string_view payload_hash;       // hex SHA-256, UNSIGNED-PAYLOAD or STREAMING-...
};
std::string CanonicalRequest(const CanonicalRequestParts& parts);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical_request>".
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);

// "<yyyymmdd>/<region>/<service>/aws4_request".
std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service);

}  // namespace kura::sigv4
