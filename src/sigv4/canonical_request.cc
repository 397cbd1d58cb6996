#include "sigv4/canonical_request.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "common/crypto.h"
#include "common/encoding.h"
#include "common/form_encoding.h"
#include "common/text.h"

namespace kura::sigv4 {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// RFC 3986 remove_dot_segments plus collapsing of empty segments, as the AWS SDKs normalize
// non-S3 paths: "//a/./b/../c/" -> "/a/c/".
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(pos, slash - pos);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    pos = slash + 1;
  }
  std::string out;
  for (std::string_view segment : segments) {
    out.push_back('/');
    out.append(segment);
  }
  bool trailing_slash = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
  if (out.empty() || trailing_slash) out.push_back('/');
  return out;
}

}  // namespace

PathOptions PathOptionsFor(std::string_view service) {
  if (service == "s3") return {.normalize = false, .double_encode = false};
  return {.normalize = true, .double_encode = true};
}

Result<std::vector<QueryParam>> ParseQuery(std::string_view raw_query) {
  UrlEncodedPairs parsed = ParseUrlEncodedPairs(raw_query, /*plus_is_space=*/false);
  if (parsed.malformed) return MakeError(ErrorCode::kInvalidURI);
  return std::move(parsed.pairs);
}

Result<std::string> CanonicalUri(std::string_view raw_path, PathOptions options) {
  if (raw_path.empty()) return std::string("/");
  if (options.double_encode) {
    std::string path = options.normalize ? NormalizePath(raw_path) : std::string(raw_path);
    return UriEncode(path, /*encode_slash=*/false);
  }
  auto decoded = PercentDecode(raw_path);
  if (!decoded) return MakeError(ErrorCode::kInvalidURI);
  std::string path = options.normalize ? NormalizePath(*decoded) : std::move(*decoded);
  return UriEncode(path, /*encode_slash=*/false);
}

std::string CanonicalQueryString(std::span<const QueryParam> params, bool skip_signature) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const QueryParam& param : params) {
    if (skip_signature && param.name == "X-Amz-Signature") continue;
    encoded.emplace_back(UriEncode(param.name), UriEncode(param.value));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out.append(name);
    out.push_back('=');
    out.append(value);
  }
  return out;
}

namespace {
// Whether none of the 8 bytes at `p` is below '!' (SWAR): then none is whitespace. A session
// token's header value is ~1 KB without a space, signed on every request that carries it.
bool EightAboveSpace(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  return ((w - '!' * kOnes) & ~w & kHighs) == 0;  // exact for "some byte < 0x21" (0x21 ≤ 0x80)
}
}  // namespace

void AppendCanonicalHeaderValue(std::string& out, std::string_view value) {
  bool first = true;
  size_t i = 0;
  for (;;) {  // one append per whitespace-free run, runs joined by one space
    while (i < value.size() && IsSpace(value[i])) ++i;
    size_t start = i;
    while (i + 8 <= value.size() && EightAboveSpace(value.data() + i)) i += 8;
    while (i < value.size() && !IsSpace(value[i])) ++i;
    if (start == i) return;
    if (!first) out.push_back(' ');
    out.append(value.substr(start, i - start));
    first = false;
  }
}

std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  AppendCanonicalHeaderValue(out, value);
  return out;
}

std::string CanonicalHeaders(std::span<const HeaderField> headers,
                             std::span<const std::string_view> signed_headers) {
  std::string out;
  size_t size = 0;
  for (const HeaderField& field : headers) size += field.name.size() + field.value.size() + 2;
  out.reserve(size);
  for (std::string_view name : signed_headers) {
    out.append(name);
    out.push_back(':');
    bool first = true;
    for (const HeaderField& field : headers) {
      if (!EqualsIgnoreAsciiCase(field.name, name)) continue;
      if (!first) out.push_back(',');
      AppendCanonicalHeaderValue(out, field.value);
      first = false;
    }
    out.push_back('\n');
  }
  return out;
}

std::vector<std::string_view> SplitSignedHeaders(std::string_view signed_headers) {
  std::vector<std::string_view> names;
  size_t pos = 0;
  while (pos <= signed_headers.size()) {
    size_t semi = signed_headers.find(';', pos);
    if (semi == std::string_view::npos) semi = signed_headers.size();
    std::string_view name = signed_headers.substr(pos, semi - pos);
    if (name.empty()) return {};
    names.push_back(name);
    pos = semi + 1;
  }
  return names;
}

std::string CanonicalRequest(const CanonicalRequestParts& parts) {
  std::string out;
  out.reserve(parts.method.size() + parts.canonical_uri.size() + parts.canonical_query.size() +
              parts.canonical_headers.size() + parts.signed_headers.size() +
              parts.payload_hash.size() + 5);
  out.append(parts.method).push_back('\n');
  out.append(parts.canonical_uri).push_back('\n');
  out.append(parts.canonical_query).push_back('\n');
  out.append(parts.canonical_headers).push_back('\n');
  out.append(parts.signed_headers).push_back('\n');
  out.append(parts.payload_hash);
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out.push_back('\n');
  out.append(amz_date).push_back('\n');
  out.append(scope).push_back('\n');
  out.append(Sha256Hex(canonical_request));
  return out;
}

std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service) {
  std::string out(date);
  out.push_back('/');
  out.append(region).push_back('/');
  out.append(service).push_back('/');
  out.append(kScopeTerminator);
  return out;
}

}  // namespace kura::sigv4
