#include "s3/post_policy.h"

#include <boost/json.hpp>

#include "common/encoding.h"
#include "common/text.h"
#include "common/time_format.h"

namespace kura::s3 {
namespace {

namespace json = boost::json;

Error InvalidPolicy(std::string_view why) {
  return MakeError(ErrorCode::kInvalidPolicyDocument, "Invalid Policy: " + std::string(why));
}

Error Violation(std::string_view why) {
  return MakeError(ErrorCode::kAccessDenied, "Invalid according to Policy: " + std::string(why));
}

std::optional<uint64_t> AsSize(const json::value& v) {
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<uint64_t>(v.as_int64());
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_string()) {
    std::string s(v.as_string());
    char* end = nullptr;
    unsigned long long n = std::strtoull(s.c_str(), &end, 10);
    if (!s.empty() && *end == '\0') return n;
  }
  return std::nullopt;
}

Result<PostPolicy::Condition> ParseArrayCondition(const json::array& a) {
  PostPolicy::Condition c;
  c.text = json::serialize(a);
  if (a.size() != 3 || !a[0].is_string()) return InvalidPolicy("Invalid Condition: " + c.text);
  c.op = AsciiLower(std::string(a[0].as_string()));
  if (c.op == "content-length-range") {
    auto min = AsSize(a[1]), max = AsSize(a[2]);
    if (!min || !max) return InvalidPolicy("Invalid content-length-range: " + c.text);
    c.min = *min;
    c.max = *max;
    return c;
  }
  if ((c.op != "eq" && c.op != "starts-with") || !a[1].is_string() || !a[2].is_string()) {
    return InvalidPolicy("Invalid Condition: " + c.text);
  }
  std::string_view field = a[1].as_string();
  if (!field.starts_with('$')) return InvalidPolicy("Invalid Condition: " + c.text);
  c.field = AsciiLower(field.substr(1));
  c.value = std::string(a[2].as_string());
  return c;
}

bool Holds(const PostPolicy::Condition& c, const FormFields& fields) {
  auto it = fields.find(c.field);
  std::string value = it == fields.end() ? "" : it->second;
  if (c.op == "eq") return value == c.value;
  if (c.field == "content-type") {  // each of a comma-separated list must start with the prefix
    size_t start = 0;
    while (true) {
      size_t comma = value.find(',', start);
      std::string item = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!item.empty() && item.front() == ' ') item.erase(item.begin());
      if (!item.starts_with(c.value)) return false;
      if (comma == std::string::npos) return true;
      start = comma + 1;
    }
  }
  return value.starts_with(c.value);
}

}  // namespace

Result<PostPolicy> ParsePostPolicy(std::string_view base64, TimePoint now) {
  auto decoded = Base64Decode(base64);
  if (!decoded) return InvalidPolicy("Invalid Base64 Encoding");
  boost::system::error_code ec;
  json::value doc = json::parse(*decoded, ec);
  if (ec || !doc.is_object()) return InvalidPolicy("Invalid JSON.");
  const auto& root = doc.as_object();
  PostPolicy policy;
  auto expiration = root.if_contains("expiration");
  if (!expiration || !expiration->is_string()) return InvalidPolicy("Policy missing expiration.");
  auto when = ParseIso8601(expiration->as_string());
  if (!when) return InvalidPolicy("Invalid 'expiration' value: '" + std::string(expiration->as_string()) + "'");
  policy.expiration = *when;
  if (*when < now) return Violation("Policy expired.");
  auto conditions = root.if_contains("conditions");
  if (!conditions || !conditions->is_array()) return InvalidPolicy("Policy missing conditions.");
  for (const auto& item : conditions->as_array()) {
    if (item.is_array()) {
      auto c = ParseArrayCondition(item.as_array());
      if (!c) return c.error();
      policy.conditions.push_back(std::move(*c));
    } else if (item.is_object() && item.as_object().size() == 1 && item.as_object().begin()->value().is_string()) {
      const auto& [key, value] = *item.as_object().begin();
      PostPolicy::Condition c{"eq", AsciiLower(key), std::string(value.as_string()), 0, 0, json::serialize(item)};
      policy.conditions.push_back(std::move(c));
    } else {
      return InvalidPolicy("Invalid Condition: " + json::serialize(item));
    }
  }
  return policy;
}

Result<void> CheckPostPolicy(const PostPolicy& policy, const FormFields& fields) {
  for (const auto& c : policy.conditions) {
    if (c.op == "content-length-range") continue;
    if (!Holds(c, fields)) return Violation("Policy Condition failed: " + c.text);
  }
  for (const auto& [name, value] : fields) {
    if (name == "x-amz-signature" || name == "file" || name == "policy" || name == "bucket" ||
        name.starts_with("x-ignore-")) {
      continue;
    }
    bool named = false;
    for (const auto& c : policy.conditions) named = named || c.field == name;
    if (!named) return Violation("Extra input fields: " + name);
  }
  return Ok();
}

std::optional<std::pair<uint64_t, uint64_t>> ContentLengthRange(const PostPolicy& policy) {
  for (const auto& c : policy.conditions) {
    if (c.op == "content-length-range") return std::make_pair(c.min, c.max);
  }
  return std::nullopt;
}

}  // namespace kura::s3
