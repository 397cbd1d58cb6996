// Builds the small XML documents S3, IAM and STS answer with. Element names are written as
// given (AWS's names verbatim); text is escaped. Not a general XML library: responses only.
// Thread-safety: one writer per response.
#pragma once

#include <string>
#include <string_view>

namespace kura::xml {

class Writer {
 public:
  // Starts with the XML declaration and opens the root (with S3's namespace when given).
  explicit Writer(std::string_view root, std::string_view xmlns = "");

  Writer& Open(std::string_view name);
  Writer& Close(std::string_view name);
  Writer& Element(std::string_view name, std::string_view text);
  Writer& Element(std::string_view name, uint64_t value);
  Writer& Bool(std::string_view name, bool value);
  // Closes the root and returns the document.
  std::string Finish();

 private:
  std::string root_;
  std::string out_;
};

void AppendEscaped(std::string& out, std::string_view text);
std::string Escape(std::string_view text);

inline constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

}  // namespace kura::xml
