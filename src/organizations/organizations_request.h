// The body of an AWS Organizations request (JSON 1.1: one JSON object whose members are the
// operation's input shape, botocore organizations/2016-11-28 service-2.json), parsed once and
// read through typed getters that check the shape's constraints and answer Organizations' own
// errors: SerializationException for a body that is not a JSON object or a member of the wrong
// JSON type, InvalidInputException with its Reason (INPUT_REQUIRED, MIN_LENGTH_EXCEEDED,
// MAX_LENGTH_EXCEEDED, INVALID_PATTERN, INVALID_ENUM, MIN/MAX_VALUE_EXCEEDED) for a value its
// shape refuses. Thread-safety: a parsed request is immutable.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace kura::organizations {

// kOrgInvalidInput with Reason `reason` (Error::details, rendered beside Message).
Error InvalidInput(std::string_view reason, std::string message);
// kOrgConstraintViolation with Reason `reason`.
Error ConstraintViolation(std::string_view reason, std::string message);

// A string shape's constraints: length in [min, max] and every character accepted by `valid`.
struct StringShape {
  size_t min = 0;
  size_t max = 0;
  bool (*valid)(std::string_view value) = nullptr;  // null: any
};

class OrganizationsRequest {
 public:
  // An empty body reads as "{}" (as AWS accepts for operations without input).
  static Result<OrganizationsRequest> Parse(std::string_view body);

  // A string member checked against `shape`; nullopt when absent.
  Result<std::optional<std::string>> String(std::string_view name, const StringShape& shape) const;
  // As String; INPUT_REQUIRED when absent.
  Result<std::string> RequiredString(std::string_view name, const StringShape& shape) const;
  // An integer member within [min, max]; nullopt when absent.
  Result<std::optional<int64_t>> Int(std::string_view name, int64_t min, int64_t max) const;
  // A list of strings; empty when absent.
  Result<std::vector<std::string>> StringList(std::string_view name) const;
  // The members' raw values (for shapes with nested structures: Tags).
  const boost::json::value* Member(std::string_view name) const;

 private:
  explicit OrganizationsRequest(boost::json::object members) : members_(std::move(members)) {}
  boost::json::object members_;
};

// Organizations' patterns (the model's regular expressions, as predicates).
bool IsEmail(std::string_view value);                   // [^\s@]+@[^\s@]+\.[^\s@]+
bool IsPrintableAscii(std::string_view value);          // [\u0020-\u007E]+
bool IsRoleName(std::string_view value);                // [\w+=,.@-]{1,64}
bool IsAccountId(std::string_view value);               // ^\d{12}$
bool IsCreateAccountRequestId(std::string_view value);  // ^car-[a-z0-9]{8,32}$

}  // namespace kura::organizations
