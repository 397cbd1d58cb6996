#include "sigv4/signature_v2.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/text.h"

namespace kura::sigv4 {
namespace {

constexpr std::string_view kScheme = "AWS ";

// v2 URLs have no longest lifetime (AWS accepts any Expires; "never" is often written as a far
// date). Later ones are read as this one, 2200-01-01, which a TimePoint can still hold.
constexpr int64_t kLatestExpires = 7258118400;

// botocore's HmacV1Auth.QSAOfInterest (what boto3 and the aws CLI v1 sign), which holds AWS's
// documented list, s3cmd's and the response-* overrides.
// clang-format off
constexpr std::string_view kV2SubResources[] = {
    "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory",
    "lifecycle", "location", "logging", "metrics", "notification", "object-lock", "partNumber",
    "policy", "replication", "requestPayment", "response-cache-control",
    "response-content-disposition", "response-content-encoding", "response-content-language",
    "response-content-type", "response-expires", "restore", "select", "select-type",
    "storageClass", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning",
    "versions", "website"};
// clang-format on

const std::string* FindParam(std::span<const QueryParam> params, std::string_view name) {
  for (const QueryParam& param : params) {
    if (param.name == name) return &param.value;
  }
  return nullptr;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One sub-resource of the canonical resource: its raw name, its decoded value, and whether the
// query wrote '=' ("versionId=" signs as "versionId=", "acl" as "acl").
struct SubResource {
  std::string_view name;
  std::string value;
  bool has_value = false;
};

}  // namespace

bool IsV2Authorization(std::string_view value) {
  return TrimAsciiWhitespace(value).starts_with(kScheme);
}

Result<V2Claim> ParseV2Authorization(std::string_view value) {
  value = TrimAsciiWhitespace(value);
  value.remove_prefix(std::min(value.size(), kScheme.size()));
  value = TrimAsciiWhitespace(value);
  size_t colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == value.size()) {
    Error error =
        MakeError(ErrorCode::kInvalidArgument,
                  "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
    error.details.emplace_back("ArgumentName", "Authorization");
    error.details.emplace_back("ArgumentValue", std::string(value));
    return error;
  }
  V2Claim claim;
  claim.access_key_id = value.substr(0, colon);
  claim.signature = value.substr(colon + 1);
  return claim;
}

bool HasV2QueryAuth(std::span<const QueryParam> params) {
  return FindParam(params, "AWSAccessKeyId") || FindParam(params, "Signature");
}

Result<V2Claim> ParseV2Query(std::span<const QueryParam> params) {
  // One value each, for the reason ParsePresignedQuery gives: the copy checked must be the one
  // every later reader sees.
  static constexpr std::string_view kAuthParams[] = {"AWSAccessKeyId", "Signature", "Expires",
                                                     "x-amz-security-token"};
  for (std::string_view name : kAuthParams) {
    auto count = std::count_if(params.begin(), params.end(),
                               [&](const QueryParam& param) { return param.name == name; });
    if (count > 1) {
      return MakeError(ErrorCode::kInvalidArgument, std::string(name) + " must appear only once");
    }
  }
  const std::string* access_key_id = FindParam(params, "AWSAccessKeyId");
  const std::string* signature = FindParam(params, "Signature");
  const std::string* expires = FindParam(params, "Expires");
  if (!access_key_id || !signature || !expires) {
    return MakeError(ErrorCode::kAccessDenied,
                     "Query-string authentication requires the Signature, Expires and "
                     "AWSAccessKeyId parameters");
  }
  if (!IsDigits(*expires)) {
    return MakeError(ErrorCode::kAccessDenied,
                     "Invalid date (should be seconds since epoch): " + *expires);
  }
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(expires->data(), expires->data() + expires->size(), seconds);
  if (ec == std::errc::result_out_of_range || seconds > kLatestExpires) seconds = kLatestExpires;
  V2Claim claim;
  claim.access_key_id = *access_key_id;
  claim.signature = *signature;
  claim.expires = *expires;
  claim.expires_at = FromUnixSeconds(seconds);
  if (const std::string* token = FindParam(params, "x-amz-security-token")) {
    claim.session_token = *token;
  }
  return claim;
}

std::string V2CanonicalAmzHeaders(std::span<const HeaderField> fields) {
  std::vector<std::pair<std::string, std::string_view>> amz;
  for (const HeaderField& field : fields) {
    if (!StartsWithIgnoreAsciiCase(field.name, "x-amz-")) continue;
    amz.emplace_back(AsciiLower(field.name), TrimAsciiWhitespace(field.value));
  }
  // Stable: a repeated header's values are joined in the order they were sent.
  std::stable_sort(amz.begin(), amz.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (size_t i = 0; i < amz.size(); ++i) {
    bool continues = i > 0 && amz[i].first == amz[i - 1].first;
    if (continues) {
      out.back() = ',';
    } else {
      out += amz[i].first;
      out += ':';
    }
    out += amz[i].second;
    out += '\n';
  }
  return out;
}

bool IsV2SubResource(std::string_view name) {
  return std::find(std::begin(kV2SubResources), std::end(kV2SubResources), name) !=
         std::end(kV2SubResources);
}

std::string V2CanonicalResource(std::string_view host_bucket, std::string_view raw_target) {
  size_t q = raw_target.find('?');
  std::string_view path = raw_target.substr(0, q);
  std::string out;
  if (!host_bucket.empty()) out = "/" + std::string(host_bucket);
  out += path.empty() ? "/" : path;
  // A bucket's own resource is "/bucket/" however it is addressed: botocore signs path-style
  // bucket requests so, though it sends "/bucket" (as AWS's virtual-hosted examples sign "/").
  if (out.size() > 1 && out.find('/', 1) == std::string::npos) out += '/';
  if (q == std::string_view::npos) return out;

  // Names are matched as sent and values decoded, as the clients sign them.
  std::vector<SubResource> subresources;
  std::string_view query = raw_target.substr(q + 1);
  for (size_t start = 0; start <= query.size();) {
    size_t amp = std::min(query.find('&', start), query.size());
    std::string_view piece = query.substr(start, amp - start);
    start = amp + 1;
    size_t eq = piece.find('=');
    std::string_view name = piece.substr(0, eq);
    if (!IsV2SubResource(name)) continue;
    SubResource sub{.name = name, .value = {}, .has_value = eq != std::string_view::npos};
    if (sub.has_value) {
      std::string_view raw_value = piece.substr(eq + 1);
      sub.value = PercentDecode(raw_value).value_or(std::string(raw_value));
    }
    subresources.push_back(std::move(sub));
  }
  std::stable_sort(subresources.begin(), subresources.end(),
                   [](const SubResource& a, const SubResource& b) { return a.name < b.name; });
  for (size_t i = 0; i < subresources.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += subresources[i].name;
    if (subresources[i].has_value) out += '=' + subresources[i].value;
  }
  return out;
}

std::string V2StringToSign(const V2StringToSignParts& parts) {
  std::string out;
  out.reserve(parts.method.size() + parts.content_md5.size() + parts.content_type.size() +
              parts.date.size() + parts.canonical_amz_headers.size() +
              parts.canonical_resource.size() + 4);
  out.append(parts.method).append("\n");
  out.append(parts.content_md5).append("\n");
  out.append(parts.content_type).append("\n");
  out.append(parts.date).append("\n");
  out.append(parts.canonical_amz_headers);
  out.append(parts.canonical_resource);
  return out;
}

std::string V2Signature(const Secret& secret_access_key, std::string_view string_to_sign) {
  return Base64Encode(HmacSha1(secret_access_key.Reveal(), string_to_sign));
}

bool V2SignatureMatches(const Secret& secret_access_key, std::string_view string_to_sign,
                        std::string_view provided) {
  return ConstantTimeEquals(V2Signature(secret_access_key, string_to_sign), provided);
}

}  // namespace kura::sigv4
