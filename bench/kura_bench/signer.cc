#include "kura_bench/signer.h"

#include <algorithm>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/time_format.h"

namespace kura::bench {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToLower(c);
  return out;
}

// Trims and collapses every whitespace run (folded lines included) to one space.
std::string CanonicalValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> kept;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(pos, slash - pos);
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (!segment.empty() && segment != ".") {
      kept.push_back(segment);
    }
    pos = slash + 1;
  }
  std::string out;
  for (std::string_view segment : kept) {
    out += '/';
    out += segment;
  }
  bool trailing = path.ends_with("/") || path.ends_with("/.") || path.ends_with("/..");
  if (out.empty() || trailing) out += '/';
  return out;
}

}  // namespace

std::string CanonicalUri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  if (!normalize) return UriEncode(path, /*encode_slash=*/false);
  return UriEncode(RemoveDotSegments(path), /*encode_slash=*/false);
}

std::string CanonicalQueryString(const QueryParams& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [key, value] : query) encoded.emplace_back(UriEncode(key), UriEncode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

CanonicalHeaders CanonicalizeHeaders(const Headers& headers) {
  std::vector<std::pair<std::string, std::string>> lowered;
  lowered.reserve(headers.size());
  for (const Header& h : headers) lowered.emplace_back(Lower(h.name), CanonicalValue(h.value));
  std::stable_sort(lowered.begin(), lowered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders out;
  for (size_t i = 0; i < lowered.size(); ++i) {
    bool same_as_previous = i > 0 && lowered[i].first == lowered[i - 1].first;
    if (same_as_previous) {
      out.block.back() = ',';  // replace the previous line's '\n'
    } else {
      if (!out.signed_headers.empty()) out.signed_headers += ';';
      out.signed_headers += lowered[i].first;
      out.block += lowered[i].first;
      out.block += ':';
    }
    out.block += lowered[i].second;
    out.block += '\n';
  }
  return out;
}

namespace {

std::string BuildCanonicalRequest(const SignableRequest& request, const CanonicalHeaders& headers,
                                  bool normalize_path) {
  std::string out;
  out.reserve(256 + headers.block.size());
  out += request.method;
  out += '\n';
  out += CanonicalUri(request.path, normalize_path);
  out += '\n';
  out += CanonicalQueryString(request.query);
  out += '\n';
  out += headers.block;
  out += '\n';
  out += headers.signed_headers;
  out += '\n';
  out += request.payload_hash;
  return out;
}

}  // namespace

std::string CanonicalRequest(const SignableRequest& request, bool normalize_path) {
  return BuildCanonicalRequest(request, CanonicalizeHeaders(request.headers), normalize_path);
}

std::string CredentialScope(std::string_view yyyymmdd, std::string_view region,
                            std::string_view service) {
  std::string out(yyyymmdd);
  out += '/';
  out += region;
  out += '/';
  out += service;
  out += "/aws4_request";
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out = "AWS4-HMAC-SHA256\n";
  out += amz_date;
  out += '\n';
  out += scope;
  out += '\n';
  out += Sha256Hex(canonical_request);
  return out;
}

std::string DeriveSigningKey(std::string_view secret, std::string_view yyyymmdd,
                             std::string_view region, std::string_view service) {
  std::string key = HmacSha256("AWS4" + std::string(secret), yyyymmdd);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  return HmacSha256(key, "aws4_request");
}

Signer::Signer(Credentials credentials, std::string region, std::string service)
    : credentials_(std::move(credentials)),
      region_(std::move(region)),
      service_(std::move(service)) {}

const std::string& Signer::SigningKeyFor(std::string_view yyyymmdd) {
  if (key_date_ != yyyymmdd) {
    key_ = DeriveSigningKey(credentials_.secret_access_key, yyyymmdd, region_, service_);
    key_date_ = std::string(yyyymmdd);
  }
  return key_;
}

Signature Signer::Sign(SignableRequest& request, TimePoint now, const SignOptions& options) {
  int64_t second = UnixSeconds(now);
  if (second != date_second_) {
    date_text_ = FormatAmzDate(now);
    date_second_ = second;
  }
  Signature sig;
  sig.amz_date = date_text_;
  request.headers.push_back({"X-Amz-Date", sig.amz_date});
  bool sign_token = !credentials_.session_token.empty() && !options.omit_session_token;
  if (sign_token) request.headers.push_back({"X-Amz-Security-Token", credentials_.session_token});
  std::string_view date = std::string_view(sig.amz_date).substr(0, 8);
  sig.scope = CredentialScope(date, region_, service_);
  CanonicalHeaders headers = CanonicalizeHeaders(request.headers);
  sig.canonical_request = BuildCanonicalRequest(request, headers, options.normalize_path);
  sig.string_to_sign = StringToSign(sig.amz_date, sig.scope, sig.canonical_request);
  sig.signature = HexLower(HmacSha256(SigningKeyFor(date), sig.string_to_sign));
  sig.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials_.access_key_id + "/" +
                      sig.scope + ", SignedHeaders=" + headers.signed_headers +
                      ", Signature=" + sig.signature;
  return sig;
}

std::string Signer::ChunkSignature(const Signature& seed, std::string_view previous_signature,
                                   std::string_view chunk_sha256_hex) {
  std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n";
  sts += seed.amz_date;
  sts += '\n';
  sts += seed.scope;
  sts += '\n';
  sts += previous_signature;
  sts += '\n';
  sts += kEmptySha256;
  sts += '\n';
  sts += chunk_sha256_hex;
  std::string_view date = std::string_view(seed.amz_date).substr(0, 8);
  return HexLower(HmacSha256(SigningKeyFor(date), sts));
}

}  // namespace kura::bench
