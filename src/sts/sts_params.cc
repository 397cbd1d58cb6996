#include "sts/sts_params.h"

#include <cctype>
#include <charconv>

#include "common/text.h"

namespace kura::sts {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A value as AWS echoes it in a validation message (tags and lists print as "[…]").
std::string Shown(std::string_view value) { return std::string(value.substr(0, 256)); }

}  // namespace

void Validator::Add(std::string value_shown, std::string_view field, std::string constraint) {
  failures_.push_back("Value '" + value_shown + "' at '" + std::string(field) +
                      "' failed to satisfy constraint: " + constraint);
}

void Validator::Missing(std::string_view field) {
  failures_.push_back("Value null at '" + std::string(field) +
                      "' failed to satisfy constraint: Member must not be null");
}

void Validator::Text(std::string_view field, std::string_view value, size_t min, size_t max,
                     std::string_view pattern, std::string_view pattern_chars) {
  if (value.size() < min) {
    Add(Shown(value), field,
        "Member must have length greater than or equal to " + std::to_string(min));
  } else if (value.size() > max) {
    Add(Shown(value), field,
        "Member must have length less than or equal to " + std::to_string(max));
  }
  if (pattern.empty()) return;
  for (char c : value) {
    if (!IsWordChar(c) && pattern_chars.find(c) == std::string_view::npos) {
      Add(Shown(value), field,
          "Member must satisfy regular expression pattern: " + std::string(pattern));
      return;
    }
  }
}

void Validator::Range(std::string_view field, int64_t value, int64_t min, int64_t max) {
  if (value < min) {
    Add(std::to_string(value), field,
        "Member must have value greater than or equal to " + std::to_string(min));
  } else if (value > max) {
    Add(std::to_string(value), field,
        "Member must have value less than or equal to " + std::to_string(max));
  }
}

void Validator::ListSize(std::string_view field, std::string_view shown, size_t size, size_t max) {
  if (size > max) {
    Add(std::string(shown), field,
        "Member must have length less than or equal to " + std::to_string(max));
  }
}

Result<void> Validator::Finish() const {
  if (failures_.empty()) return Ok();
  std::string message = std::to_string(failures_.size()) + " validation error" +
                        (failures_.size() == 1 ? "" : "s") + " detected: ";
  for (size_t i = 0; i < failures_.size(); ++i) {
    if (i > 0) message += "; ";
    message += failures_[i];
  }
  return MakeError(ErrorCode::kValidationError, std::move(message));
}

Result<std::optional<int64_t>> IntParam(const query::QueryCall& call, std::string_view name) {
  if (!call.Has(name)) return std::optional<int64_t>();
  std::string text = call.Param(name);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return MakeError(ErrorCode::kValidationError,
                     "Invalid value for parameter " + std::string(name) + ": " + Shown(text));
  }
  return std::optional<int64_t>(value);
}

std::vector<std::string> ListParam(const query::QueryCall& call, std::string_view name,
                                   std::string_view suffix) {
  std::vector<std::string> out;
  for (size_t i = 1;; ++i) {
    std::string key = std::string(name) + ".member." + std::to_string(i) + std::string(suffix);
    auto it = call.params.find(key);
    if (it == call.params.end()) break;
    out.push_back(it->second);
  }
  return out;
}

TagList TagsParam(const query::QueryCall& call, std::string_view name) {
  TagList out;
  for (size_t i = 1;; ++i) {
    std::string prefix = std::string(name) + ".member." + std::to_string(i);
    auto key = call.params.find(prefix + ".Key");
    if (key == call.params.end()) break;
    out.emplace_back(key->second, call.Param(prefix + ".Value"));
  }
  return out;
}

bool TagKeyEquals(std::string_view a, std::string_view b) { return EqualsIgnoreAsciiCase(a, b); }

void ValidateRoleAndSessionName(const query::QueryCall& call, std::string_view role_arn,
                                std::string_view session_name, Validator& v) {
  if (!call.Has("RoleArn")) {
    v.Missing("roleArn");
  } else {
    v.Text("roleArn", role_arn, 20, 2048);
  }
  if (!call.Has("RoleSessionName")) {
    v.Missing("roleSessionName");
  } else {
    v.Text("roleSessionName", session_name, 2, 64, kSessionNamePattern, kSessionNameChars);
  }
}

}  // namespace kura::sts
