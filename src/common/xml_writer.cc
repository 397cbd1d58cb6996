#include "common/xml_writer.h"

namespace kura::xml {

void AppendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;
      default: out.push_back(c);
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
