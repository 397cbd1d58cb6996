#include "organizations/organizations_request.h"

#include <boost/json.hpp>

#include "common/limits.h"

namespace kura::organizations {
namespace {
namespace json = boost::json;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z'); }
bool IsWordChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

Error WrongType(std::string_view name, std::string_view expected) {
  return MakeError(ErrorCode::kOrgSerialization,
                   "Start of structure or map found where not expected: " + std::string(name) +
                       " must be " + std::string(expected));
}

}  // namespace

Error InvalidInput(std::string_view reason, std::string message) {
  Error error = MakeError(ErrorCode::kOrgInvalidInput, std::move(message));
  error.details.emplace_back("Reason", std::string(reason));
  return error;
}

Error ConstraintViolation(std::string_view reason, std::string message) {
  Error error = MakeError(ErrorCode::kOrgConstraintViolation, std::move(message));
  error.details.emplace_back("Reason", std::string(reason));
  return error;
}

Result<OrganizationsRequest> OrganizationsRequest::Parse(std::string_view body) {
  if (body.empty()) return OrganizationsRequest(json::object());
  if (body.size() > limits::kMaxOrganizationsRequestBytes) {
    return InvalidInput("MAX_LENGTH_EXCEEDED", "Request body too large");
  }
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 8;
  json::value parsed = json::parse(body, ec, {}, options);
  if (ec || !parsed.is_object()) return MakeError(ErrorCode::kOrgSerialization);
  return OrganizationsRequest(std::move(parsed.get_object()));
}

Result<std::optional<std::string>> OrganizationsRequest::String(std::string_view name,
                                                                const StringShape& shape) const {
  const json::value* v = Member(name);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(name, "a string");
  std::string value(v->get_string());
  std::string member(name);
  if (value.size() < shape.min) {
    return InvalidInput("MIN_LENGTH_EXCEEDED", "You provided a value for " + member +
                                                   " that is shorter than " +
                                                   std::to_string(shape.min) + " characters.");
  }
  if (value.size() > shape.max) {
    return InvalidInput("MAX_LENGTH_EXCEEDED", "You provided a value for " + member +
                                                   " that is longer than " +
                                                   std::to_string(shape.max) + " characters.");
  }
  if (shape.valid != nullptr && !shape.valid(value)) {
    return InvalidInput("INVALID_PATTERN",
                        "You provided a value for " + member + " that does not match the pattern.");
  }
  return std::optional<std::string>(std::move(value));
}

Result<std::string> OrganizationsRequest::RequiredString(std::string_view name,
                                                         const StringShape& shape) const {
  auto value = String(name, shape);
  if (!value) return value.error();
  if (!*value) {
    return InvalidInput("INPUT_REQUIRED",
                        "You must specify a value for " + std::string(name) + ".");
  }
  return std::move(**value);
}

Result<std::optional<int64_t>> OrganizationsRequest::Int(std::string_view name, int64_t min,
                                                         int64_t max) const {
  const json::value* v = Member(name);
  if (v == nullptr) return std::optional<int64_t>();
  if (!v->is_int64() && !v->is_uint64()) return WrongType(name, "an integer");
  int64_t value = v->is_int64()
                      ? v->get_int64()
                      : static_cast<int64_t>(std::min<uint64_t>(v->get_uint64(), INT64_MAX));
  if (value < min) {
    return InvalidInput("MIN_VALUE_EXCEEDED", "You provided a value for " + std::string(name) +
                                                  " that is less than " + std::to_string(min) +
                                                  ".");
  }
  if (value > max) {
    return InvalidInput("MAX_VALUE_EXCEEDED", "You provided a value for " + std::string(name) +
                                                  " that is more than " + std::to_string(max) +
                                                  ".");
  }
  return std::optional<int64_t>(value);
}

Result<std::vector<std::string>> OrganizationsRequest::StringList(std::string_view name) const {
  std::vector<std::string> out;
  const json::value* v = Member(name);
  if (v == nullptr) return out;
  if (!v->is_array()) return WrongType(name, "a list");
  for (const json::value& item : v->get_array()) {
    if (!item.is_string()) return WrongType(name, "a list of strings");
    out.emplace_back(item.get_string());
  }
  return out;
}

const json::value* OrganizationsRequest::Member(std::string_view name) const {
  const json::value* v = members_.if_contains(name);
  return v == nullptr || v->is_null() ? nullptr : v;
}

bool IsEmail(std::string_view value) {
  // [^\s@]+@[^\s@]+\.[^\s@]+ (a search, as the model's patterns are unanchored): some run of
  // non-space, non-@ characters, an @, then a run containing a dot with characters on both sides.
  for (size_t at = value.find('@'); at != std::string_view::npos; at = value.find('@', at + 1)) {
    if (at == 0 || IsSpace(value[at - 1]) || value[at - 1] == '@') continue;
    for (size_t i = at + 1; i < value.size() && !IsSpace(value[i]) && value[i] != '@'; ++i) {
      if (value[i] == '.' && i > at + 1 && i + 1 < value.size() && !IsSpace(value[i + 1]) &&
          value[i + 1] != '@') {
        return true;
      }
    }
  }
  return false;
}

bool IsPrintableAscii(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool IsRoleName(std::string_view value) {
  if (value.empty() || value.size() > limits::kMaxAccountRoleNameChars) return false;
  for (char c : value) {
    if (!IsWordChar(c) && std::string_view("+=,.@-").find(c) == std::string_view::npos)
      return false;
  }
  return true;
}

bool IsAccountId(std::string_view value) {
  if (value.size() != 12) return false;
  for (char c : value) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool IsCreateAccountRequestId(std::string_view value) {
  if (!value.starts_with("car-")) return false;
  std::string_view rest = value.substr(4);
  if (rest.size() < 8 || rest.size() > 32) return false;
  for (char c : rest) {
    if (!IsLowerAlnum(c)) return false;
  }
  return true;
}

}  // namespace kura::organizations
