// Reading and validating STS Query API parameters as AWS does: scalar members, lists
// ("Name.member.N", "Tags.member.N.Key"), and the constraint messages of AWS's validation layer
// ("1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint:
// Member must have length greater than or equal to 2"; several failures are joined with "; ").
// Shapes: botocore data/sts/2011-06-15/service-2.json. Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "query/query_api.h"
#include "sts/role_directory.h"

namespace kura::sts {

// Collects constraint failures; Finish() turns them into one ValidationError.
class Validator {
 public:
  // Checks a string member's length and, when `pattern_chars` is given, that every character
  // is a word character ([A-Za-z0-9_]) or one of `pattern_chars`; `pattern` is the regex AWS
  // names in its message.
  void Text(std::string_view field, std::string_view value, size_t min, size_t max,
            std::string_view pattern = {}, std::string_view pattern_chars = {});
  void Range(std::string_view field, int64_t value, int64_t min, int64_t max);
  void ListSize(std::string_view field, std::string_view shown, size_t size, size_t max);
  void Add(std::string value_shown, std::string_view field, std::string constraint);
  // "Value null at 'field' failed to satisfy constraint: Member must not be null".
  void Missing(std::string_view field);

  // Ok when nothing failed, else kValidationError with AWS's message.
  Result<void> Finish() const;

 private:
  std::vector<std::string> failures_;
};

// The RoleArn and RoleSessionName members every AssumeRole* call has: present, and within
// AWS's lengths and (for the session name) character set.
inline constexpr std::string_view kSessionNamePattern = "[\\w+=,.@-]*";
inline constexpr std::string_view kSessionNameChars = "+=,.@-";
void ValidateRoleAndSessionName(const query::QueryCall& call, std::string_view role_arn,
                                std::string_view session_name, Validator& v);

// An integer parameter; nullopt when absent. kValidationError when not an integer.
Result<std::optional<int64_t>> IntParam(const query::QueryCall& call, std::string_view name);

// The list NAME.member.1, NAME.member.2, … (`suffix` e.g. ".arn" is appended to each name).
std::vector<std::string> ListParam(const query::QueryCall& call, std::string_view name,
                                   std::string_view suffix = {});

// Tags.member.N.Key / .Value pairs; a Key without a Value has the value "".
TagList TagsParam(const query::QueryCall& call, std::string_view name);

// The case-insensitive comparison AWS uses for tag keys.
bool TagKeyEquals(std::string_view a, std::string_view b);

}  // namespace kura::sts
