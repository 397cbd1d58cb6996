// A JSON object written straight into a string, for audit records (one JSON object per line,
// RFC 8259): members in the order written, strings escaped so that no client-supplied byte can
// end the record, forge a member or break the line. Bytes that are not valid UTF-8 (an object key
// may hold any) become U+FFFD, so that every record parses as JSON (jq, CloudTrail readers).
// Appending only; no DOM, no allocation beyond the output string's growth.
// Thread-safety: a value used by one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kura::api {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  // Opens the top-level object, or a member object named `name` inside the current one.
  void BeginObject();
  void BeginObject(std::string_view name);
  void EndObject();
  // A member object with nothing in it is written as {} (CloudTrail writes empty objects so).
  void String(std::string_view name, std::string_view value);
  // Written only when `value` is not empty (CloudTrail leaves absent fields out).
  void StringIfSet(std::string_view name, std::string_view value) {
    if (!value.empty()) String(name, value);
  }
  void Number(std::string_view name, uint64_t value);
  void Bool(std::string_view name, bool value);
  void Null(std::string_view name);
  // `json` is a complete JSON value the caller vouches for (built by another JsonWriter).
  void Raw(std::string_view name, std::string_view json);

 private:
  void Name(std::string_view name);

  std::string& out_;
  bool first_ = true;  // no member yet in the innermost open object
};

// Appends `value` as a JSON string (quotes included) to `out`.
void AppendJsonString(std::string& out, std::string_view value);

}  // namespace kura::api
