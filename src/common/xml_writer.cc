#include "common/xml_writer.h"

namespace kura::xml {

namespace {
bool NeedsEscape(char c) {
  return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '\r';
}
}  // namespace

void AppendEscaped(std::string& out, std::string_view text) {
  // Runs of plain text go in with one append: a push_back per character was most of the cost of
  // rendering a session token (≈ 700 characters) into AssumeRole's response.
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && !NeedsEscape(text[i])) ++i;
    out.append(text.substr(start, i - start));
    if (i == text.size()) break;
    switch (text[i++]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += "&#13;"; break;  // '\r'
    }
  }
}

std::string Escape(std::string_view text) {
  std::string out;
  AppendEscaped(out, text);
  return out;
}

Writer::Writer(std::string_view root, std::string_view xmlns) : root_(root) {
  out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<";
  out_ += root;
  if (!xmlns.empty()) {
    out_ += " xmlns=\"";
    out_ += xmlns;
    out_ += '"';
  }
  out_ += '>';
}

Writer& Writer::Open(std::string_view name) {
  out_ += '<';
  out_ += name;
  out_ += '>';
  return *this;
}

Writer& Writer::Close(std::string_view name) {
  out_ += "</";
  out_ += name;
  out_ += '>';
  return *this;
}

Writer& Writer::Element(std::string_view name, std::string_view text) {
  Open(name);
  AppendEscaped(out_, text);
  return Close(name);
}

Writer& Writer::Element(std::string_view name, uint64_t value) {
  return Element(name, std::to_string(value));
}

Writer& Writer::Bool(std::string_view name, bool value) { return Element(name, value ? "true" : "false"); }

std::string Writer::Finish() {
  Close(root_);
  return std::move(out_);
}

}  // namespace kura::xml
