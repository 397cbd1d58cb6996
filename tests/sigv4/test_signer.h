// Test helpers: an owning request that yields a RequestView, a signer built from the library's
// own canonical-request functions (header and presigned auth), and a map-backed resolver.
// Independent checks of the same math come from the AWS suite, the AWS docs examples and the
// botocore fixtures.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/text.h"
#include "sigv4/canonical_request.h"
#include "sigv4/credential_resolver.h"
#include "sigv4/request_view.h"
#include "sigv4/signature_v2.h"
#include "sigv4/signing_key.h"

namespace kura::sigv4::testing_support {

struct OwnedRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool with_body = false;
  std::string source_ip;
  std::vector<HeaderField> fields;

  RequestView View() {
    fields.clear();
    for (const auto& [name, value] : headers) fields.push_back({name, value});
    RequestView view{
        .method = method, .target = target, .headers = fields, .body = {}, .source_ip = source_ip};
    if (with_body) view.body = body;
    return view;
  }
  void Set(const std::string& name, const std::string& value) {
    Remove(name);
    headers.emplace_back(name, value);
  }
  void Remove(const std::string& name) {
    std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreAsciiCase(h.first, name); });
  }
};

struct SignParams {
  std::string access_key_id = "AKIAIOSFODNN7EXAMPLE";
  std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  std::string region = "us-east-1";
  std::string service = "s3";
  std::string amz_date = "20130524T000000Z";
  std::string session_token;
};

inline std::string Lower(std::string_view s) { return AsciiLower(s); }

// Signs every header present but those named (lower case) in `leave_unsigned`; returns the
// signature.
inline std::string SignHeaders(OwnedRequest& request, const SignParams& params,
                               const std::string& payload_hash,
                               const std::vector<std::string>& leave_unsigned = {}) {
  request.Set("x-amz-date", params.amz_date);
  if (!params.session_token.empty()) request.Set("x-amz-security-token", params.session_token);
  if (params.service == "s3") request.Set("x-amz-content-sha256", payload_hash);
  std::vector<std::string> names;
  for (const auto& header : request.headers) {
    std::string name = Lower(header.first);
    if (std::find(leave_unsigned.begin(), leave_unsigned.end(), name) == leave_unsigned.end()) {
      names.push_back(std::move(name));
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string signed_headers;
  for (const auto& name : names) signed_headers += (signed_headers.empty() ? "" : ";") + name;
  std::vector<std::string_view> views(names.begin(), names.end());
  RequestView view = request.View();
  auto query = ParseQuery(view.Query());
  std::string uri = *CanonicalUri(view.Path(), PathOptionsFor(params.service));
  std::string canonical_query = CanonicalQueryString(*query, false);
  std::string canonical_headers = CanonicalHeaders(view.headers, views);
  std::string creq = CanonicalRequest({.method = request.method,
                                       .canonical_uri = uri,
                                       .canonical_query = canonical_query,
                                       .canonical_headers = canonical_headers,
                                       .signed_headers = signed_headers,
                                       .payload_hash = payload_hash});
  std::string date = params.amz_date.substr(0, 8);
  std::string scope = CredentialScope(date, params.region, params.service);
  std::string signature = SignatureHex(
      DeriveSigningKey(Secret(params.secret), date, params.region, params.service),
      StringToSign(params.amz_date, scope, creq));
  request.Set("Authorization", "AWS4-HMAC-SHA256 Credential=" + params.access_key_id + "/" +
                                   scope + ", SignedHeaders=" + signed_headers +
                                   ", Signature=" + signature);
  return signature;
}

// Appends presigned parameters to request.target, signing `host` and the headers named in
// `also_signed` (lower case, sorted, each after "host").
inline void Presign(OwnedRequest& request, const SignParams& params, int expires,
                    const std::vector<std::string>& also_signed = {}) {
  std::string signed_headers = "host";
  for (const std::string& name : also_signed) signed_headers += ";" + name;
  std::string date = params.amz_date.substr(0, 8);
  std::string scope = CredentialScope(date, params.region, params.service);
  std::string sep = request.target.find('?') == std::string::npos ? "?" : "&";
  request.target += sep + "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" +
                    UriEncode(params.access_key_id + "/" + scope) +
                    "&X-Amz-Date=" + params.amz_date + "&X-Amz-Expires=" + std::to_string(expires) +
                    "&X-Amz-SignedHeaders=" + UriEncode(signed_headers);
  if (!params.session_token.empty()) {
    request.target += "&X-Amz-Security-Token=" + UriEncode(params.session_token);
  }
  RequestView view = request.View();
  auto query = ParseQuery(view.Query());
  std::string uri = *CanonicalUri(view.Path(), PathOptionsFor(params.service));
  std::string canonical_query = CanonicalQueryString(*query, true);
  std::vector<std::string_view> names = {"host"};
  names.insert(names.end(), also_signed.begin(), also_signed.end());
  std::string canonical_headers = CanonicalHeaders(view.headers, names);
  std::string creq = CanonicalRequest({.method = request.method,
                                       .canonical_uri = uri,
                                       .canonical_query = canonical_query,
                                       .canonical_headers = canonical_headers,
                                       .signed_headers = signed_headers,
                                       .payload_hash = kUnsignedPayload});
  std::string signature = SignatureHex(
      DeriveSigningKey(Secret(params.secret), date, params.region, params.service),
      StringToSign(params.amz_date, scope, creq));
  request.target += "&X-Amz-Signature=" + signature;
}

// Signs `request` with Signature Version 2 header auth, as botocore's HmacV1Auth does: the Date
// line is the Date header ("" when x-amz-date is set), the resource path-style unless
// `host_bucket` names the virtual-hosted bucket.
inline void SignV2(OwnedRequest& request, const SignParams& params,
                   std::string_view host_bucket = "") {
  if (!params.session_token.empty()) request.Set("x-amz-security-token", params.session_token);
  RequestView view = request.View();
  std::string date = view.HasHeader("x-amz-date") ? "" : std::string(view.Header("date"));
  std::string amz_headers = V2CanonicalAmzHeaders(view.headers);
  std::string resource = V2CanonicalResource(host_bucket, view.target);
  std::string string_to_sign = V2StringToSign({.method = view.method,
                                               .content_md5 = view.Header("content-md5"),
                                               .content_type = view.Header("content-type"),
                                               .date = date,
                                               .canonical_amz_headers = amz_headers,
                                               .canonical_resource = resource});
  request.Set("Authorization", "AWS " + params.access_key_id + ":" +
                                   V2Signature(Secret(params.secret), string_to_sign));
}

class FakeResolver final : public CredentialResolver {
 public:
  void Add(std::string access_key_id, std::string secret, std::string token = "") {
    auto principal = std::make_shared<Principal>();
    principal->type = PrincipalType::kUser;
    principal->access_key_id = access_key_id;
    principal->arn = "arn:aws:iam::123456789012:user/alice";
    entries_[access_key_id] = {std::move(secret), std::move(token), std::move(principal)};
  }
  // What every credential it resolves is told of its verified requests.
  void SetUse(std::shared_ptr<const CredentialUse> use) { use_ = std::move(use); }
  Result<ResolvedCredential> Resolve(std::string_view access_key_id,
                                     std::string_view session_token) const override {
    auto it = entries_.find(std::string(access_key_id));
    if (it == entries_.end()) return ErrorCode::kInvalidAccessKeyId;
    if (it->second.token != session_token) return ErrorCode::kInvalidToken;
    return ResolvedCredential{Secret(it->second.secret), it->second.principal, nullptr, use_};
  }

 private:
  struct Entry {
    std::string secret, token;
    std::shared_ptr<const Principal> principal;
  };
  std::map<std::string, Entry> entries_;
  std::shared_ptr<const CredentialUse> use_;
};

}  // namespace kura::sigv4::testing_support
