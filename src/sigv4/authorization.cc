#include "sigv4/authorization.h"

#include <algorithm>
#include <charconv>

#include "common/limits.h"
#include "common/text.h"
#include "common/time_format.h"

namespace kura::sigv4 {
namespace {

constexpr std::string_view kHeaderMalformed = "The authorization header is malformed; ";
constexpr std::string_view kCredentialParamError =
    "Error parsing the X-Amz-Credential parameter; ";
constexpr std::string_view kThreeComponents =
    "the authorization header requires three components: Credential, SignedHeaders, and "
    "Signature.";
constexpr std::string_view kMissingQueryParams =
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
    "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

Error HeaderMalformed(std::string_view reason) {
  return MakeError(ErrorCode::kAuthorizationHeaderMalformed,
                   std::string(kHeaderMalformed) + std::string(reason));
}

Error QueryError(std::string message) {
  return MakeError(ErrorCode::kAuthorizationQueryParametersError, std::move(message));
}

const std::string* FindParam(std::span<const QueryParam> params, std::string_view name) {
  for (const QueryParam& param : params) {
    if (param.name == name) return &param.value;
  }
  return nullptr;
}

}  // namespace

Result<PayloadMode> ParsePayloadMode(std::string_view content_sha256) {
  if (content_sha256 == kUnsignedPayload) return PayloadMode::kUnsigned;
  if (content_sha256 == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") return PayloadMode::kStreamingSigned;
  if (content_sha256 == "STREAMING-UNSIGNED-PAYLOAD-TRAILER") {
    return PayloadMode::kStreamingUnsignedTrailer;
  }
  if (content_sha256 == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
    return PayloadMode::kStreamingSignedTrailer;
  }
  bool hex = content_sha256.size() == 64;
  for (char c : content_sha256) {
    hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
  }
  if (hex) return PayloadMode::kSigned;
  return MakeError(ErrorCode::kInvalidArgument,
                   "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                   "STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                   "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, or a valid sha256 value.");
}

std::string ParseCredential(std::string_view text, CredentialScopeClaim& out) {
  constexpr std::string_view kMalformed =
      "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/"
      "aws4_request\".";
  // The access key id never holds '/', so the credential has exactly five parts.
  std::string_view parts[5];
  size_t count = 0;
  size_t pos = 0;
  while (count < 5) {
    size_t slash = text.find('/', pos);
    if (slash == std::string_view::npos) slash = text.size();
    parts[count++] = text.substr(pos, slash - pos);
    if (slash == text.size()) break;
    pos = slash + 1;
  }
  if (count != 5 || pos + parts[4].size() != text.size()) return std::string(kMalformed);
  for (std::string_view part : parts) {
    if (part.empty()) return std::string(kMalformed);
  }
  if (parts[1].size() != 8 || !IsDigits(parts[1])) return std::string(kMalformed);
  if (parts[4] != kScopeTerminator) {
    return "incorrect terminal \"" + std::string(parts[4]) + "\". This endpoint uses \"" +
           std::string(kScopeTerminator) + "\".";
  }
  out.access_key_id = parts[0];
  out.date = parts[1];
  out.region = parts[2];
  out.service = parts[3];
  return {};
}

Result<HeaderClaim> ParseAuthorizationHeader(std::string_view value) {
  value = TrimAsciiWhitespace(value);
  if (value.starts_with("AWS ")) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "The authorization mechanism you have provided is not supported. Please "
                     "use AWS4-HMAC-SHA256.");
  }
  if (!value.starts_with(kAlgorithm) || value.size() == kAlgorithm.size() ||
      (value[kAlgorithm.size()] != ' ' && value[kAlgorithm.size()] != '\t')) {
    if (!value.starts_with(kAlgorithm)) {
      return MakeError(ErrorCode::kInvalidArgument, "Unsupported Authorization Type");
    }
    return HeaderMalformed(kThreeComponents);
  }
  value.remove_prefix(kAlgorithm.size());
  HeaderClaim claim;
  bool have_credential = false, have_signed_headers = false, have_signature = false;
  std::string credential;
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view component = TrimAsciiWhitespace(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    size_t eq = component.find('=');
    if (eq == std::string_view::npos) return HeaderMalformed(kThreeComponents);
    std::string_view key = component.substr(0, eq);
    std::string_view field = component.substr(eq + 1);
    bool* seen = key == "Credential"      ? &have_credential
                 : key == "SignedHeaders" ? &have_signed_headers
                 : key == "Signature"     ? &have_signature
                                          : nullptr;
    if (seen == nullptr || *seen) return HeaderMalformed(kThreeComponents);
    *seen = true;
    if (key == "Credential") credential = field;
    if (key == "SignedHeaders") claim.signed_headers = field;
    if (key == "Signature") claim.signature = field;
  }
  if (!have_credential || !have_signed_headers || !have_signature) {
    return HeaderMalformed(kThreeComponents);
  }
  if (std::string reason = ParseCredential(credential, claim.credential); !reason.empty()) {
    return HeaderMalformed(reason);
  }
  if (SplitSignedHeaders(claim.signed_headers).empty()) {
    return HeaderMalformed("the SignedHeaders component is empty or malformed.");
  }
  return claim;
}

bool HasPresignedV4Params(std::span<const QueryParam> params) {
  return FindParam(params, "X-Amz-Algorithm") || FindParam(params, "X-Amz-Credential") ||
         FindParam(params, "X-Amz-Signature");
}

Result<QueryClaim> ParsePresignedQuery(std::span<const QueryParam> params) {
  // One value each: the first X-Amz-Signature would be checked while a second rode along
  // (it is left out of the canonical query), and every other reader would have to agree on
  // which copy counts.
  static constexpr std::string_view kAuthParams[] = {
      "X-Amz-Algorithm",     "X-Amz-Credential", "X-Amz-Date",           "X-Amz-Expires",
      "X-Amz-SignedHeaders", "X-Amz-Signature",  "X-Amz-Security-Token", "X-Amz-Content-Sha256"};
  for (std::string_view name : kAuthParams) {
    auto count = std::count_if(params.begin(), params.end(),
                               [&](const QueryParam& param) { return param.name == name; });
    if (count > 1) return QueryError(std::string(name) + " must appear only once");
  }
  const std::string* algorithm = FindParam(params, "X-Amz-Algorithm");
  const std::string* credential = FindParam(params, "X-Amz-Credential");
  const std::string* date = FindParam(params, "X-Amz-Date");
  const std::string* expires = FindParam(params, "X-Amz-Expires");
  const std::string* signed_headers = FindParam(params, "X-Amz-SignedHeaders");
  const std::string* signature = FindParam(params, "X-Amz-Signature");
  if (!algorithm || !credential || !date || !expires || !signed_headers || !signature) {
    return QueryError(std::string(kMissingQueryParams));
  }
  if (*algorithm != kAlgorithm) {
    return QueryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  QueryClaim claim;
  if (std::string reason = ParseCredential(*credential, claim.credential); !reason.empty()) {
    return QueryError(std::string(kCredentialParamError) + reason);
  }
  if (!ParseAmzDate(*date)) {
    return QueryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  claim.amz_date = *date;
  std::string_view digits = *expires;
  bool negative = digits.starts_with('-');
  if (negative) digits.remove_prefix(1);
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    return QueryError(ec == std::errc::result_out_of_range
                          ? "X-Amz-Expires must be less than a week (in seconds) that is 604800"
                          : "X-Amz-Expires should be a number");
  }
  if (negative) return QueryError("X-Amz-Expires must be non-negative");
  if (seconds == 0) return QueryError("X-Amz-Expires must be at least 1 second");
  if (seconds > limits::kMaxPresignExpires.count()) {
    return QueryError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
  }
  claim.expires_seconds = seconds;
  claim.signed_headers = *signed_headers;
  if (SplitSignedHeaders(claim.signed_headers).empty()) {
    return QueryError("X-Amz-SignedHeaders is empty or malformed.");
  }
  claim.signature = *signature;
  if (const std::string* token = FindParam(params, "X-Amz-Security-Token")) {
    claim.session_token = *token;
  }
  return claim;
}

}  // namespace kura::sigv4
