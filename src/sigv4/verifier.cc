#include "sigv4/verifier.h"

#include <algorithm>
#include <utility>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/limits.h"
#include "common/text.h"
#include "common/time_format.h"
#include "common/virtual_host.h"
#include "sigv4/signature_v2.h"

namespace kura::sigv4 {

struct Verifier::Claim {
  AuthType type = AuthType::kHeader;
  CredentialScopeClaim credential;
  std::string signed_headers;
  std::string signature;
  std::string amz_date;      // the date signed, in the basic ISO 8601 form
  std::string request_time;  // as sent (x-amz-date, Date or X-Amz-Date)
  TimePoint signed_at{};
  int64_t expires_seconds = 0;
  std::string session_token;
  std::string query_content_sha256;  // presigned: X-Amz-Content-Sha256, if given
};

namespace {

constexpr std::string_view kNotSigned =
    "There were headers present in the request which were not signed";

std::string SpacedHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (!out.empty()) out.push_back(' ');
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

// An error in the style of the auth mechanism in use.
Error ScopeError(AuthType type, std::string reason) {
  if (type == AuthType::kHeader) {
    return MakeError(ErrorCode::kAuthorizationHeaderMalformed,
                     "The authorization header is malformed; " + reason);
  }
  return MakeError(ErrorCode::kAuthorizationQueryParametersError,
                   "Error parsing the X-Amz-Credential parameter; " + reason);
}

Error NotSigned(std::string header_names) {
  Error error = MakeError(ErrorCode::kAccessDenied, std::string(kNotSigned));
  error.details.emplace_back("HeadersNotSigned", std::move(header_names));
  return error;
}

// x-amz-content-sha256 may be left unsigned, as S3 allows: its value is the payload hash of the
// canonical request, so a value other than the signer's (including a STREAMING-* mode the signer
// did not choose) fails the signature.
bool MayBeUnsigned(std::string_view name) {
  return EqualsIgnoreAsciiCase(name, "x-amz-content-sha256");
}

// host must be signed; for S3 (header and presigned auth alike) so must every x-amz-* header
// present, or an upload link could carry x-amz-copy-source, x-amz-tagging, SSE-C keys...
// that its signer never chose. "x-amzn-*" headers are not "x-amz-" ones.
Result<void> CheckSignedHeaders(const RequestView& request,
                                std::span<const std::string_view> signed_names, bool s3) {
  auto is_signed = [&](std::string_view name) {
    return std::any_of(signed_names.begin(), signed_names.end(),
                       [&](std::string_view s) { return EqualsIgnoreAsciiCase(s, name); });
  };
  if (!is_signed("host")) return NotSigned("host");
  if (!s3) return Ok();
  std::string missing;
  for (const HeaderField& field : request.headers) {
    if (!StartsWithIgnoreAsciiCase(field.name, "x-amz-")) continue;
    if (is_signed(field.name) || MayBeUnsigned(field.name)) continue;
    if (!missing.empty()) missing += ", ";
    missing += AsciiLower(field.name);
  }
  if (!missing.empty()) return NotSigned(std::move(missing));
  return Ok();
}

// The headers that say how a request is authenticated hold one value each; a second copy would
// let the verifier and the code after it read different ones.
Result<void> CheckAuthHeadersNotRepeated(const RequestView& request) {
  static constexpr std::string_view kSingleValued[] = {
      "authorization", "x-amz-date", "date", "x-amz-content-sha256", "x-amz-security-token"};
  for (std::string_view name : kSingleValued) {
    int count = 0;
    for (const HeaderField& field : request.headers) count += EqualsIgnoreAsciiCase(field.name, name);
    if (count > 1) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "The " + std::string(name) + " header may appear only once");
    }
  }
  return Ok();
}

Error TooSkewed(std::string_view request_time, TimePoint now) {
  Error error = MakeError(ErrorCode::kRequestTimeTooSkewed);
  error.details = {
      {"RequestTime", std::string(request_time)},
      {"ServerTime", FormatIso8601Seconds(now)},
      {"MaxAllowedSkewMilliseconds",
       std::to_string(std::chrono::milliseconds(limits::kMaxClockSkew).count())},
  };
  return error;
}

// In whole seconds: two valid request times (years 1700..2200) can lie further apart than the
// ±292 years a nanosecond difference holds, and that subtraction would overflow.
bool WithinSkew(TimePoint a, TimePoint b) {
  auto a_s = std::chrono::time_point_cast<std::chrono::seconds>(a);
  auto b_s = std::chrono::time_point_cast<std::chrono::seconds>(b);
  return (a_s > b_s ? a_s - b_s : b_s - a_s) <= limits::kMaxClockSkew;
}

Error MechanismNotSupported() {
  return MakeError(ErrorCode::kInvalidRequest,
                   "The authorization mechanism you have provided is not supported. Please use "
                   "AWS4-HMAC-SHA256.");
}

// S3's diagnostic details for a signature that does not match; SigV4 adds its canonical request.
Error SignatureMismatch(std::string_view access_key_id, std::string_view string_to_sign,
                        std::string_view provided) {
  Error error = MakeError(ErrorCode::kSignatureDoesNotMatch);
  error.details = {
      {"AWSAccessKeyId", std::string(access_key_id)},
      {"StringToSign", std::string(string_to_sign)},
      {"SignatureProvided", std::string(provided)},
      {"StringToSignBytes", SpacedHex(string_to_sign)},
  };
  return error;
}

Error SignatureMismatch(std::string_view access_key_id, std::string_view string_to_sign,
                        std::string_view provided, std::string_view canonical_request) {
  Error error = SignatureMismatch(access_key_id, string_to_sign, provided);
  error.details.emplace_back("CanonicalRequest", std::string(canonical_request));
  error.details.emplace_back("CanonicalRequestBytes", SpacedHex(canonical_request));
  return error;
}

const std::string* FindParam(std::span<const QueryParam> params, std::string_view name) {
  for (const QueryParam& param : params) {
    if (param.name == name) return &param.value;
  }
  return nullptr;
}

// A v2 date: an HTTP date (botocore and s3cmd send RFC 1123 "GMT"), the RFC 822 "+0000" zone
// of AWS's own examples, or the ISO 8601 basic form.
std::optional<TimePoint> ParseV2Date(std::string_view s) {
  if (auto t = ParseHttpDate(s)) return t;
  if (s.ends_with(" +0000")) return ParseHttpDate(std::string(s.substr(0, s.size() - 6)) + " GMT");
  return ParseAmzDate(s);
}

// The time a v2 header-auth request was made, and the Date it signs: x-amz-date wins (and the
// Date signed is then "", as x-amz-date is among the amz headers). nullopt when the one that
// counts is not a valid date.
struct V2RequestTime {
  TimePoint when{};
  std::string_view sent;         // as sent, for RequestTimeTooSkewed
  std::string_view date_signed;  // the StringToSign's Date line
};
std::optional<V2RequestTime> V2RequestTimeOf(const RequestView& request) {
  if (request.HasHeader("x-amz-date")) {
    std::string_view sent = TrimAsciiWhitespace(request.Header("x-amz-date"));
    std::optional<TimePoint> when = ParseV2Date(sent);
    if (!when) return std::nullopt;
    return V2RequestTime{*when, sent, ""};
  }
  std::string_view sent = TrimAsciiWhitespace(request.Header("date"));
  std::optional<TimePoint> when = ParseV2Date(sent);
  if (!when) return std::nullopt;
  return V2RequestTime{*when, sent, sent};
}

// v2 signs no payload hash: the body is UNSIGNED-PAYLOAD unless x-amz-content-sha256 (signed,
// being an x-amz-* header) names a hash or an unsigned mode; the aws-chunked signed modes chain
// SigV4 signatures a v2 request does not have.
Result<void> SetV2PayloadMode(const RequestView& request, AuthResult& result) {
  result.payload_mode = PayloadMode::kUnsigned;
  if (!request.HasHeader("x-amz-content-sha256")) return Ok();
  result.content_sha256 = request.Header("x-amz-content-sha256");
  auto mode = ParsePayloadMode(result.content_sha256);
  if (!mode) return std::move(mode).error();
  if (*mode == PayloadMode::kStreamingSigned || *mode == PayloadMode::kStreamingSignedTrailer) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "x-amz-content-sha256 " + result.content_sha256 +
                         " requires AWS4-HMAC-SHA256 request signing");
  }
  result.payload_mode = *mode;
  return Ok();
}

// For presigned URLs the x-amz-* query parameters count as headers: clients sign the headers
// and then move them into the query (botocore's HmacV1QueryAuth: x-amz-security-token...).
std::string V2AmzHeaders(const RequestView& request, std::span<const QueryParam> query,
                         AuthType type) {
  std::vector<HeaderField> fields(request.headers.begin(), request.headers.end());
  if (type == AuthType::kPresigned) {
    for (const QueryParam& param : query) {
      if (StartsWithIgnoreAsciiCase(param.name, "x-amz-")) fields.push_back({param.name, param.value});
    }
  }
  return V2CanonicalAmzHeaders(fields);
}


}  // namespace

std::shared_ptr<const Principal> AnonymousPrincipal() {
  static const auto* const kAnonymous =
      new std::shared_ptr<const Principal>(std::make_shared<const Principal>());  // kAnonymous
  return *kAnonymous;
}

Verifier::Verifier(const CredentialResolver& resolver, const Clock& clock, std::string s3_region,
                   SigV2Options sigv2)
    : resolver_(resolver),
      clock_(clock),
      s3_region_(std::move(s3_region)),
      sigv2_(std::move(sigv2)) {}

Result<AuthResult> Verifier::Verify(const RequestView& request) const {
  auto query = ParseQuery(request.Query());
  if (!query) return std::move(query).error();
  KURA_TRY(CheckAuthHeadersNotRepeated(request));
  bool header_auth = request.HasHeader("authorization");
  bool query_auth = HasPresignedV4Params(*query);
  bool v2_query_auth = HasV2QueryAuth(*query);
  if (int{header_auth} + int{query_auth} + int{v2_query_auth} > 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                     "Signature query string parameter or the Authorization header should be "
                     "specified");
  }
  bool v2_header_auth = header_auth && IsV2Authorization(request.Header("authorization"));
  if (v2_header_auth || v2_query_auth) {
    if (!sigv2_.enabled) return MechanismNotSupported();
    return VerifyV2(request, *query, v2_query_auth ? AuthType::kPresigned : AuthType::kHeader);
  }
  if (!header_auth && !query_auth) {
    AuthResult result;
    result.principal = AnonymousPrincipal();
    if (request.HasHeader("x-amz-content-sha256")) {
      result.content_sha256 = request.Header("x-amz-content-sha256");
      auto mode = ParsePayloadMode(result.content_sha256);
      if (!mode) return std::move(mode).error();
      result.payload_mode = *mode;
    }
    return result;
  }

  Claim claim;
  if (header_auth) {
    auto parsed = ParseAuthorizationHeader(request.Header("authorization"));
    if (!parsed) return std::move(parsed).error();
    claim.credential = std::move(parsed->credential);
    claim.signed_headers = std::move(parsed->signed_headers);
    claim.signature = std::move(parsed->signature);
    std::optional<TimePoint> when;
    if (request.HasHeader("x-amz-date")) {
      claim.request_time = request.Header("x-amz-date");
      when = ParseAmzDate(claim.request_time);
    } else if (request.HasHeader("date")) {
      claim.request_time = request.Header("date");
      when = ParseHttpDate(claim.request_time);
    }
    if (!when) {
      return MakeError(ErrorCode::kAccessDenied,
                       "AWS authentication requires a valid Date or x-amz-date header");
    }
    claim.signed_at = *when;
    claim.amz_date = FormatAmzDate(*when);
    if (request.HasHeader("x-amz-date")) claim.amz_date = claim.request_time;
    claim.session_token = request.Header("x-amz-security-token");
  } else {
    auto parsed = ParsePresignedQuery(*query);
    if (!parsed) return std::move(parsed).error();
    claim.type = AuthType::kPresigned;
    claim.credential = std::move(parsed->credential);
    claim.signed_headers = std::move(parsed->signed_headers);
    claim.signature = std::move(parsed->signature);
    claim.amz_date = parsed->amz_date;
    claim.request_time = parsed->amz_date;
    claim.signed_at = *ParseAmzDate(parsed->amz_date);
    claim.expires_seconds = parsed->expires_seconds;
    if (const std::string* sha = FindParam(*query, "X-Amz-Content-Sha256")) {
      claim.query_content_sha256 = *sha;
    }
    claim.session_token = parsed->session_token.empty()
                              ? std::string(request.Header("x-amz-security-token"))
                              : std::move(parsed->session_token);
  }
  return VerifyClaim(request, *query, claim);
}

Result<void> Verifier::CheckTime(const Claim& claim, std::string_view request_time) const {
  TimePoint now = clock_.Now();
  if (claim.type == AuthType::kHeader) {
    if (WithinSkew(now, claim.signed_at)) return Ok();
    return TooSkewed(request_time, now);
  }
  if (claim.signed_at > now + limits::kMaxClockSkew) {
    return MakeError(ErrorCode::kAccessDenied, "Request is not valid yet");
  }
  TimePoint expires_at = claim.signed_at + Seconds(claim.expires_seconds);
  if (now <= expires_at) return Ok();
  Error error = MakeError(ErrorCode::kAccessDenied, "Request has expired");
  error.details = {
      {"X-Amz-Expires", std::to_string(claim.expires_seconds)},
      {"Expires", FormatIso8601Seconds(expires_at)},
      {"ServerTime", FormatIso8601Seconds(now)},
  };
  return error;
}

Result<std::string> Verifier::PayloadHashFor(const RequestView& request, const Claim& claim,
                                             AuthResult& result) const {
  bool s3 = claim.credential.service == "s3";
  std::string declared;
  if (request.HasHeader("x-amz-content-sha256")) {
    declared = request.Header("x-amz-content-sha256");
  } else if (claim.type == AuthType::kPresigned) {
    declared = claim.query_content_sha256;
  }
  if (declared.empty() && s3 && claim.type == AuthType::kHeader) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "Missing required header for this request: x-amz-content-sha256");
  }
  if (!declared.empty()) {
    auto mode = ParsePayloadMode(declared);
    if (!mode) return std::move(mode).error();
    result.payload_mode = *mode;
    result.content_sha256 = declared;
    return declared;
  }
  if (s3) {  // presigned S3 URL
    result.payload_mode = PayloadMode::kUnsigned;
    return std::string(kUnsignedPayload);
  }
  result.payload_mode = PayloadMode::kEmptyOrUnknown;
  return request.body ? Sha256Hex(*request.body) : std::string(kEmptySha256);
}

Result<AuthResult> Verifier::VerifyClaim(const RequestView& request,
                                         std::span<const QueryParam> query,
                                         const Claim& claim) const {
  const CredentialScopeClaim& credential = claim.credential;
  bool s3 = credential.service == "s3";
  if (credential.date != std::string_view(claim.amz_date).substr(0, 8)) {
    return ScopeError(claim.type, "Invalid credential date \"" + credential.date +
                                      "\". This date is not the same as X-Amz-Date: \"" +
                                      claim.amz_date.substr(0, 8) + "\".");
  }
  if (s3 && credential.region != s3_region_) {
    return ScopeError(claim.type, "the region '" + credential.region + "' is wrong; expecting '" +
                                      s3_region_ + "'");
  }
  std::vector<std::string_view> signed_names = SplitSignedHeaders(claim.signed_headers);
  KURA_TRY(CheckSignedHeaders(request, signed_names, s3));
  KURA_TRY(CheckTime(claim, claim.request_time));

  AuthResult result;
  result.type = claim.type;
  auto payload_hash = PayloadHashFor(request, claim, result);
  if (!payload_hash) return std::move(payload_hash).error();

  auto resolved = resolver_.Resolve(credential.access_key_id, claim.session_token);
  if (!resolved) return std::move(resolved).error();

  auto canonical_uri = CanonicalUri(request.Path(), PathOptionsFor(credential.service));
  if (!canonical_uri) return std::move(canonical_uri).error();
  std::string canonical_query =
      CanonicalQueryString(query, /*skip_signature=*/claim.type == AuthType::kPresigned);
  std::string canonical_headers = CanonicalHeaders(request.headers, signed_names);
  std::string canonical_request = CanonicalRequest({
      .method = request.method,
      .canonical_uri = *canonical_uri,
      .canonical_query = canonical_query,
      .canonical_headers = canonical_headers,
      .signed_headers = claim.signed_headers,
      .payload_hash = *payload_hash,
  });
  std::string scope = credential.Scope();
  std::string string_to_sign = StringToSign(claim.amz_date, scope, canonical_request);
  std::shared_ptr<const SigningKey> signing_key =
      key_cache_.Get(credential.access_key_id, resolved->secret_key, credential.date,
                     credential.region, credential.service);
  std::string expected = signing_key->SignatureHex(string_to_sign);
  if (!ConstantTimeEquals(expected, claim.signature)) {
    return SignatureMismatch(credential.access_key_id, string_to_sign, claim.signature,
                             canonical_request);
  }

  // Only now has the credential authenticated the request (a session's "last used").
  if (resolved->use) {
    resolved->use->Used(clock_.Now(), request.source_ip, credential.service, credential.region);
  }
  result.principal = std::move(resolved->principal);
  result.grants = std::move(resolved->grants);
  result.access_key_id = credential.access_key_id;
  result.service = credential.service;
  result.region = credential.region;
  result.session_token = claim.session_token;
  result.signed_at = claim.signed_at;
  result.signing = {.signing_key = signing_key->secret(),
                    .amz_date = claim.amz_date,
                    .scope = std::move(scope),
                    .seed_signature = claim.signature};
  return result;
}

Result<AuthResult> Verifier::VerifyV2(const RequestView& request,
                                      std::span<const QueryParam> query, AuthType type) const {
  auto claim = type == AuthType::kPresigned
                   ? ParseV2Query(query)
                   : ParseV2Authorization(request.Header("authorization"));
  if (!claim) return std::move(claim).error();
  TimePoint now = clock_.Now();
  AuthResult result;
  result.type = type;
  result.version = SignatureVersion::kV2;
  std::string_view date_signed;
  if (type == AuthType::kPresigned) {
    if (now > claim->expires_at) {
      Error error = MakeError(ErrorCode::kAccessDenied, "Request has expired");
      error.details = {{"Expires", FormatIso8601Seconds(claim->expires_at)},
                       {"ServerTime", FormatIso8601Seconds(now)}};
      return error;
    }
    date_signed = claim->expires;
    result.signed_at = now;
  } else {
    std::optional<V2RequestTime> time = V2RequestTimeOf(request);
    if (!time) {
      return MakeError(ErrorCode::kAccessDenied,
                       "AWS authentication requires a valid Date or x-amz-date header");
    }
    if (!WithinSkew(now, time->when)) return TooSkewed(time->sent, now);
    date_signed = time->date_signed;
    result.signed_at = time->when;
  }
  KURA_TRY(SetV2PayloadMode(request, result));
  std::string session_token = claim->session_token.empty()
                                  ? std::string(request.Header("x-amz-security-token"))
                                  : std::move(claim->session_token);
  auto resolved = resolver_.Resolve(claim->access_key_id, session_token);
  if (!resolved) return std::move(resolved).error();

  std::string amz_headers = V2AmzHeaders(request, query, type);
  std::string resource = V2CanonicalResource(
      BucketFromHost(request.Header("host"), sigv2_.virtual_host_domain), request.target);
  std::string string_to_sign = V2StringToSign({
      .method = request.method,
      .content_md5 = TrimAsciiWhitespace(request.Header("content-md5")),
      .content_type = TrimAsciiWhitespace(request.Header("content-type")),
      .date = date_signed,
      .canonical_amz_headers = amz_headers,
      .canonical_resource = resource,
  });
  if (!V2SignatureMatches(resolved->secret_key, string_to_sign, claim->signature)) {
    return SignatureMismatch(claim->access_key_id, string_to_sign, claim->signature);
  }
  if (resolved->use) resolved->use->Used(now, request.source_ip, "s3", s3_region_);
  result.principal = std::move(resolved->principal);
  result.grants = std::move(resolved->grants);
  result.access_key_id = std::move(claim->access_key_id);
  result.service = "s3";
  result.region = s3_region_;
  result.session_token = std::move(session_token);
  return result;
}

}  // namespace kura::sigv4
