// kura-bench's own AWS Signature Version 4 signer (header form), written apart from the server's
// verifier so that one misreading of the spec cannot hide in both. Implements
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html and, for
// aws-chunked uploads, the chunk signatures of
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html.
// Thread-safety: the free functions are pure; a Signer caches its signing key and is used by one
// thread at a time (each event-loop thread owns one).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace kura::bench {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

struct Header {
  std::string name;
  std::string value;
};
using Headers = std::vector<Header>;
// Query parameters, decoded (the signer encodes them).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// What the signature covers. `path` is decoded ("/bucket/my key"); the signer UriEncodes each
// segment once, which is also how the request line is written (S3 paths are not
// double-encoded). Headers are as sent; they must include Host.
struct SignableRequest {
  std::string method;
  std::string path;
  QueryParams query;
  Headers headers;
  std::string payload_hash;  // hex SHA-256, kUnsignedPayload or kStreamingPayload
};

// The canonical URI: path optionally normalized (RFC 3986 dot segments removed, empty segments
// collapsed, as the suite's "normalize" asks for non-S3 services), then UriEncoded with '/' kept.
std::string CanonicalUri(std::string_view path, bool normalize);
// Keys and values UriEncoded, sorted by encoded key then value, joined with '&'.
std::string CanonicalQueryString(const QueryParams& query);

struct CanonicalHeaders {
  std::string block;           // "name:value\n" per header, names lower-case, sorted
  std::string signed_headers;  // "host;x-amz-date"
};
// Lower-cases names, trims values and collapses inner whitespace runs (including folded lines)
// to one space; repeated names are joined with ',' in their order.
CanonicalHeaders CanonicalizeHeaders(const Headers& headers);

std::string CanonicalRequest(const SignableRequest& request, bool normalize_path);
std::string CredentialScope(std::string_view yyyymmdd, std::string_view region,
                            std::string_view service);
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);
// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
std::string DeriveSigningKey(std::string_view secret, std::string_view yyyymmdd,
                             std::string_view region, std::string_view service);

struct SignOptions {
  bool normalize_path = false;      // false for S3
  bool omit_session_token = false;  // sign without X-Amz-Security-Token (caller adds it after)
};

struct Signature {
  std::string amz_date;       // 20150830T123600Z
  std::string scope;          // 20150830/us-east-1/s3/aws4_request
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lower-case hex
  std::string authorization;  // the Authorization header value
};

class Signer {
 public:
  Signer(Credentials credentials, std::string region, std::string service);

  // Adds X-Amz-Date (and X-Amz-Security-Token when the credentials have one) to
  // request.headers, then signs every header in the list.
  Signature Sign(SignableRequest& request, TimePoint now, const SignOptions& options = {});

  // The signature of one aws-chunked chunk, chained from the previous one (the seed signature for
  // the first chunk). chunk_sha256_hex is the hex SHA-256 of the chunk's data.
  std::string ChunkSignature(const Signature& seed, std::string_view previous_signature,
                             std::string_view chunk_sha256_hex);

  const Credentials& credentials() const { return credentials_; }
  const std::string& region() const { return region_; }

 private:
  const std::string& SigningKeyFor(std::string_view yyyymmdd);

  Credentials credentials_;
  std::string region_;
  std::string service_;
  std::string key_date_;  // the date the cached key was derived for
  std::string key_;
  int64_t date_second_ = -1;  // cache of the formatted X-Amz-Date, per second
  std::string date_text_;
};

}  // namespace kura::bench
