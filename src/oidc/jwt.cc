#include "oidc/jwt.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/encoding.h"

namespace kura::oidc {
namespace {

Error Malformed(std::string_view why) {
  return MakeError(
      ErrorCode::kInvalidIdentityToken,
      "The web identity token that was passed could not be validated: " + std::string(why));
}

std::optional<boost::json::object> DecodeJsonObject(std::string_view part) {
  auto bytes = Base64UrlDecode(part);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(*bytes, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

// A string member: absent is fine (empty), another type is not.
bool ReadString(const boost::json::object& o, std::string_view name, std::string& out) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr) return true;
  if (!v->is_string()) return false;
  out = std::string(v->as_string());
  return true;
}

// A NumericDate: an integer or a number with a fraction (truncated), within int64.
bool ReadTime(const boost::json::object& o, std::string_view name, std::optional<int64_t>& out) {
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr) return true;
  if (v->is_int64()) {
    out = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    out = static_cast<int64_t>(v->as_uint64());
  } else if (v->is_double() && v->as_double() > -9.2e18 && v->as_double() < 9.2e18) {
    out = static_cast<int64_t>(v->as_double());
  } else {
    return false;
  }
  return true;
}

bool ReadAudience(const boost::json::object& o, std::vector<std::string>& out) {
  const boost::json::value* v = o.if_contains("aud");
  if (v == nullptr) return true;
  if (v->is_string()) {
    out.emplace_back(v->as_string());
    return true;
  }
  if (!v->is_array()) return false;
  for (const boost::json::value& item : v->as_array()) {
    if (!item.is_string()) return false;
    out.emplace_back(item.as_string());
  }
  return true;
}

bool ReadHeader(const boost::json::object& header, Jwt& jwt) {
  if (header.contains("crit")) return false;
  return ReadString(header, "alg", jwt.alg) && ReadString(header, "kid", jwt.kid) &&
         !jwt.alg.empty();
}

bool ReadClaims(Jwt& jwt) {
  const boost::json::object& c = jwt.claims;
  return ReadString(c, "iss", jwt.iss) && ReadString(c, "sub", jwt.sub) &&
         ReadString(c, "azp", jwt.azp) && ReadAudience(c, jwt.aud) && ReadTime(c, "exp", jwt.exp) &&
         ReadTime(c, "nbf", jwt.nbf) && ReadTime(c, "iat", jwt.iat);
}

}  // namespace

Result<Jwt> ParseJwt(std::string_view token) {
  if (token.size() > kMaxJwtChars) return Malformed("token too long");
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Malformed("not a JWS in compact serialization");
  }
  auto header = DecodeJsonObject(token.substr(0, first));
  if (!header) return Malformed("bad header");
  auto payload = DecodeJsonObject(token.substr(first + 1, second - first - 1));
  if (!payload) return Malformed("bad payload");
  auto signature = Base64UrlDecode(token.substr(second + 1));
  if (!signature) return Malformed("bad signature encoding");

  Jwt jwt;
  if (!ReadHeader(*header, jwt)) return Malformed("bad header");
  jwt.claims = std::move(*payload);
  if (!ReadClaims(jwt)) return Malformed("bad claims");
  jwt.signing_input = std::string(token.substr(0, second));
  jwt.signature = std::move(*signature);
  return jwt;
}

std::vector<std::string> ClaimStrings(const boost::json::object& claims, std::string_view name) {
  std::vector<std::string> out;
  const boost::json::value* v = claims.if_contains(name);
  if (v == nullptr) return out;
  auto add = [&out](const boost::json::value& item) {
    if (item.is_string()) {
      out.emplace_back(item.as_string());
    } else if (item.is_number() || item.is_bool()) {
      out.push_back(boost::json::serialize(item));
    }
  };
  if (v->is_array()) {
    for (const auto& item : v->as_array()) add(item);
  } else {
    add(*v);
  }
  return out;
}

}  // namespace kura::oidc
