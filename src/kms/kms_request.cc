#include "kms/kms_request.h"

#include <boost/json.hpp>
#include <openssl/crypto.h>

#include "common/encoding.h"
#include "common/limits.h"

namespace kura::kms {
namespace {
namespace json = boost::json;

Error WrongType(std::string_view name, std::string_view expected) {
  return MakeError(ErrorCode::kKmsSerialization,
                   "Start of structure or map found where not expected: " + std::string(name) +
                       " must be " + std::string(expected));
}

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kKmsValidation, std::move(message));
}

}  // namespace

Result<KmsRequest> KmsRequest::Parse(std::string_view body) {
  if (body.empty()) return KmsRequest(json::object());
  if (body.size() > limits::kMaxKmsRequestBytes) return Invalid("Request body too large");
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 8;
  json::value parsed = json::parse(body, ec, {}, options);
  if (ec || !parsed.is_object()) return MakeError(ErrorCode::kKmsSerialization);
  return KmsRequest(std::move(parsed.get_object()));
}

Result<std::optional<std::string>> KmsRequest::String(std::string_view name) const {
  const json::value* v = members_.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(name, "a string");
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<std::string> KmsRequest::RequiredString(std::string_view name) const {
  auto value = String(name);
  if (!value) return value.error();
  if (!*value || (*value)->empty()) {
    return Invalid("1 validation error detected: Value null at '" + std::string(name) +
                   "' failed to satisfy constraint: Member must not be null");
  }
  return std::move(**value);
}

Result<std::optional<int64_t>> KmsRequest::Int(std::string_view name, int64_t min,
                                                int64_t max) const {
  const json::value* v = members_.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (!v->is_int64() && !v->is_uint64()) return WrongType(name, "an integer");
  int64_t value = v->is_int64() ? v->get_int64() : static_cast<int64_t>(std::min<uint64_t>(v->get_uint64(), INT64_MAX));
  if (value < min || value > max) {
    return Invalid("1 validation error detected: Value '" + std::to_string(value) + "' at '" +
                   std::string(name) + "' failed to satisfy constraint: Member must have value " +
                   "between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return std::optional<int64_t>(value);
}

Result<std::optional<bool>> KmsRequest::Bool(std::string_view name) const {
  const json::value* v = members_.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return WrongType(name, "a boolean");
  return std::optional<bool>(v->get_bool());
}

Result<std::optional<Secret>> KmsRequest::Blob(std::string_view name, size_t max_bytes) const {
  auto text = String(name);
  if (!text) return text.error();
  if (!*text) return std::optional<Secret>();
  auto bytes = Base64Decode(**text);
  OPENSSL_cleanse((*text)->data(), (*text)->size());
  if (!bytes) return MakeError(ErrorCode::kKmsSerialization, "Invalid base64: " + std::string(name));
  Secret secret(std::move(*bytes));
  if (secret.empty() || secret.Reveal().size() > max_bytes) {
    return Invalid("1 validation error detected: Value at '" + std::string(name) +
                   "' failed to satisfy constraint: Member must have length between 1 and " +
                   std::to_string(max_bytes));
  }
  return std::optional<Secret>(std::move(secret));
}

Result<EncryptionContext> KmsRequest::StringMap(std::string_view name) const {
  EncryptionContext out;
  const json::value* v = members_.if_contains(name);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_object()) return WrongType(name, "a map");
  for (const auto& [key, value] : v->get_object()) {
    if (!value.is_string()) return WrongType(name, "a map of strings");
    out.emplace(std::string(key), std::string(value.get_string()));
  }
  return out;
}

}  // namespace kura::kms
