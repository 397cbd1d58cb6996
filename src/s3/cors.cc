#include "s3/cors.h"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>

#include "common/limits.h"
#include "common/text.h"
#include "common/xml_writer.h"
#include "s3/response.h"
#include "s3/xml_body.h"
#include "s3/metadata_reads.h"
#include "store/awaitable.h"

namespace kura::s3 {
namespace {

constexpr std::string_view kMethods[] = {"GET", "PUT", "HEAD", "POST", "DELETE"};
constexpr size_t kMaxRules = 100;

// A pattern with at most one '*' that matches any run of characters.
bool WildcardMatches(std::string_view pattern, std::string_view value) {
  size_t star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == value;
  std::string_view head = pattern.substr(0, star), tail = pattern.substr(star + 1);
  return value.size() >= head.size() + tail.size() && value.starts_with(head) && value.ends_with(tail);
}

std::vector<std::string> Children(pugi::xml_node node, const char* name) {
  std::vector<std::string> out;
  for (auto child : node.children(name)) out.emplace_back(child.child_value());
  return out;
}

std::vector<std::string> SplitHeaderList(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.push_back(AsciiLower(item));
  }
  return out;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

Result<std::vector<CorsRule>> RulesOf(S3Env& env, std::string_view bucket_name) {
  auto bucket = env.metadata.GetBucket(bucket_name);
  if (!bucket) return bucket.error();
  if (bucket->cors_xml.empty()) return std::vector<CorsRule>();
  return ParseCorsConfiguration(bucket->cors_xml);
}

// The headers a matched rule grants (shared by preflight and actual requests).
std::vector<std::pair<std::string, std::string>> GrantHeaders(const CorsRule& rule, std::string_view origin) {
  bool any = std::find(rule.allowed_origins.begin(), rule.allowed_origins.end(), "*") != rule.allowed_origins.end();
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("Access-Control-Allow-Origin", any ? "*" : std::string(origin));
  out.emplace_back("Access-Control-Allow-Methods", Join(rule.allowed_methods));
  if (!any) out.emplace_back("Access-Control-Allow-Credentials", "true");
  if (!rule.expose_headers.empty()) out.emplace_back("Access-Control-Expose-Headers", Join(rule.expose_headers));
  if (rule.max_age_seconds) out.emplace_back("Access-Control-Max-Age", std::to_string(*rule.max_age_seconds));
  out.emplace_back("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
  return out;
}

net::awaitable<Result<void>> StoreCors(S3Env& env, S3Call& call, std::string xml) {
  co_return co_await store::StoreWrite<void>([&](auto done) {
    env.metadata.UpdateBucket(call.request.bucket,
                              [xml = std::move(xml)](store::BucketRecord& b) -> Result<void> {
                                b.cors_xml = xml;
                                return Ok();
                              },
                              std::move(done));
  });
}

}  // namespace

Result<std::vector<CorsRule>> ParseCorsConfiguration(std::string_view xml) {
  pugi::xml_document doc;
  auto root = ParseXmlBody(doc, xml, "CORSConfiguration");
  if (!root) return root.error();
  std::vector<CorsRule> rules;
  for (auto node : root->children("CORSRule")) {
    CorsRule rule;
    rule.id = node.child_value("ID");
    rule.allowed_origins = Children(node, "AllowedOrigin");
    rule.allowed_methods = Children(node, "AllowedMethod");
    rule.allowed_headers = Children(node, "AllowedHeader");
    rule.expose_headers = Children(node, "ExposeHeader");
    if (auto max_age = node.child("MaxAgeSeconds")) {
      std::string_view text = max_age.child_value();
      int seconds = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return MakeError(ErrorCode::kMalformedXML);
      }
      rule.max_age_seconds = seconds;
    }
    if (rule.allowed_origins.empty() || rule.allowed_methods.empty()) return MakeError(ErrorCode::kMalformedXML);
    for (const auto& method : rule.allowed_methods) {
      if (std::find(std::begin(kMethods), std::end(kMethods), method) == std::end(kMethods)) {
        return MakeError(ErrorCode::kInvalidRequest,
                         "Found unsupported HTTP method in CORS config. Unsupported method is " + method);
      }
    }
    for (const auto* list : {&rule.allowed_origins, &rule.allowed_headers}) {
      for (const auto& item : *list) {
        if (std::count(item.begin(), item.end(), '*') > 1) {
          return MakeError(ErrorCode::kInvalidRequest,
                           "AllowedOrigin \"" + item + "\" can not have more than one wildcard.");
        }
      }
    }
    rules.push_back(std::move(rule));
  }
  if (rules.empty() || rules.size() > kMaxRules) return MakeError(ErrorCode::kMalformedXML);
  return rules;
}

std::string RenderCorsConfiguration(const std::vector<CorsRule>& rules) {
  xml::Writer w("CORSConfiguration", xml::kS3Namespace);
  for (const auto& rule : rules) {
    w.Open("CORSRule");
    if (!rule.id.empty()) w.Element("ID", rule.id);
    for (const auto& h : rule.allowed_headers) w.Element("AllowedHeader", h);
    for (const auto& m : rule.allowed_methods) w.Element("AllowedMethod", m);
    for (const auto& o : rule.allowed_origins) w.Element("AllowedOrigin", o);
    for (const auto& e : rule.expose_headers) w.Element("ExposeHeader", e);
    if (rule.max_age_seconds) w.Element("MaxAgeSeconds", std::to_string(*rule.max_age_seconds));
    w.Close("CORSRule");
  }
  return w.Finish();
}

const CorsRule* MatchCorsRule(const std::vector<CorsRule>& rules, std::string_view origin,
                              std::string_view method, const std::vector<std::string>& headers) {
  for (const auto& rule : rules) {
    bool origin_ok = std::any_of(rule.allowed_origins.begin(), rule.allowed_origins.end(),
                                 [&](const std::string& o) { return WildcardMatches(o, origin); });
    bool method_ok = std::find(rule.allowed_methods.begin(), rule.allowed_methods.end(), method) !=
                     rule.allowed_methods.end();
    bool headers_ok = std::all_of(headers.begin(), headers.end(), [&](const std::string& h) {
      return std::any_of(rule.allowed_headers.begin(), rule.allowed_headers.end(),
                         [&](const std::string& allowed) { return WildcardMatches(AsciiLower(allowed), h); });
    });
    if (origin_ok && method_ok && headers_ok) return &rule;
  }
  return nullptr;
}

net::awaitable<Result<void>> GetBucketCors(S3Env& env, S3Call& call) {
  auto bucket = co_await ReadBucket(env, call.request.bucket);
  if (!bucket) co_return bucket.error();
  if (bucket->cors_xml.empty()) co_return MakeError(ErrorCode::kNoSuchCORSConfiguration);
  auto rules = ParseCorsConfiguration(bucket->cors_xml);
  if (!rules) co_return rules.error();
  co_return co_await RespondXml(call, RenderCorsConfiguration(*rules));
}

net::awaitable<Result<void>> PutBucketCors(S3Env& env, S3Call& call) {
  auto body = co_await call.body.ReadAll(limits::kMaxXmlBodyBytes, BodyTooLarge());
  if (!body) co_return body.error();
  auto rules = ParseCorsConfiguration(*body);
  if (!rules) co_return rules.error();
  KURA_CO_TRY(co_await StoreCors(env, call, RenderCorsConfiguration(*rules)));
  co_return co_await RespondEmpty(call, NewHead(call));
}

net::awaitable<Result<void>> DeleteBucketCors(S3Env& env, S3Call& call) {
  KURA_CO_TRY(co_await StoreCors(env, call, ""));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

net::awaitable<Result<void>> PreflightRequest(S3Env& env, S3Call& call) {
  auto origin = call.Header("origin");
  if (origin.empty()) {
    co_return MakeError(ErrorCode::kBadRequest, "Insufficient information. Origin request header needed.");
  }
  auto method = call.Header("access-control-request-method");
  if (method.empty()) co_return MakeError(ErrorCode::kBadRequest, "Invalid Access-Control-Request-Method: null");
  auto rules = co_await ReadStep(env, [&] { return RulesOf(env, call.request.bucket); });
  if (!rules) co_return rules.error();
  auto requested = SplitHeaderList(call.Header("access-control-request-headers"));
  const CorsRule* rule = MatchCorsRule(*rules, origin, method, requested);
  if (!rule) co_return MakeError(ErrorCode::kAccessForbidden);
  auto head = NewHead(call);
  for (auto& [name, value] : GrantHeaders(*rule, origin)) head.fields.set(name, value);
  if (!requested.empty()) head.fields.set("Access-Control-Allow-Headers", Join(requested));
  co_return co_await RespondEmpty(call, std::move(head));
}

std::vector<std::pair<std::string, std::string>> CorsHeadersFor(S3Env& env, std::string_view bucket,
                                                                std::string_view origin,
                                                                std::string_view method) {
  if (origin.empty() || bucket.empty()) return {};
  auto rules = RulesOf(env, bucket);
  if (!rules) return {};
  const CorsRule* rule = MatchCorsRule(*rules, origin, method, {});
  return rule ? GrantHeaders(*rule, origin) : std::vector<std::pair<std::string, std::string>>();
}

void AddCorsHeaders(S3Env& env, S3Call& call) {
  call.cors_headers =
      CorsHeadersFor(env, call.request.bucket, call.Header("origin"), call.head.method_string);
}

}  // namespace kura::s3
