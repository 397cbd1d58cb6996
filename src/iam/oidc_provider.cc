#include "iam/oidc_provider.h"

#include <boost/json.hpp>

namespace kura::iam {
namespace json = boost::json;
namespace {

json::array Strings(const std::vector<std::string>& values) {
  json::array out;
  for (const std::string& v : values) out.push_back(json::string(v));
  return out;
}

bool ReadStrings(const json::object& o, std::string_view name, std::vector<std::string>& out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_array()) return false;
  for (const json::value& item : v->as_array()) {
    if (!item.is_string()) return false;
    out.emplace_back(item.as_string());
  }
  return true;
}

bool ReadString(const json::object& o, std::string_view name, std::string& out) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return false;
  out = std::string(v->as_string());
  return true;
}

Error Corrupt() { return MakeError(ErrorCode::kInternalError, "corrupt OIDC provider document"); }

}  // namespace

std::string OidcProviderArn(std::string_view account_id, std::string_view key) {
  return "arn:aws:iam::" + std::string(account_id) + ":oidc-provider/" + std::string(key);
}

std::string EncodeOidcProvider(const OidcProvider& p) {
  json::array tags;
  for (const auto& [k, v] : p.tags) tags.push_back(json::object{{"k", k}, {"v", v}});
  int64_t created =
      std::chrono::duration_cast<std::chrono::milliseconds>(p.created.time_since_epoch()).count();
  return json::serialize(json::object{{"v", 1},
                                      {"url", p.url},
                                      {"key", p.key},
                                      {"arn", p.arn},
                                      {"clients", Strings(p.client_ids)},
                                      {"thumbprints", Strings(p.thumbprints)},
                                      {"created", created},
                                      {"tags", tags}});
}

Result<std::shared_ptr<const OidcProvider>> DecodeOidcProvider(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return Corrupt();
  const json::object& o = doc.as_object();
  auto p = std::make_shared<OidcProvider>();
  const json::value* created = o.if_contains("created");
  const json::value* tags = o.if_contains("tags");
  if (!ReadString(o, "url", p->url) || !ReadString(o, "key", p->key) ||
      !ReadString(o, "arn", p->arn) || !ReadStrings(o, "clients", p->client_ids) ||
      !ReadStrings(o, "thumbprints", p->thumbprints) || created == nullptr ||
      !created->is_int64() || tags == nullptr || !tags->is_array()) {
    return Corrupt();
  }
  p->created = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::milliseconds(created->as_int64())));
  for (const json::value& t : tags->as_array()) {
    std::pair<std::string, std::string> tag;
    if (!t.is_object() || !ReadString(t.as_object(), "k", tag.first) ||
        !ReadString(t.as_object(), "v", tag.second)) {
      return Corrupt();
    }
    p->tags.push_back(std::move(tag));
  }
  return std::shared_ptr<const OidcProvider>(std::move(p));
}

}  // namespace kura::iam
