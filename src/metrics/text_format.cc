#include "metrics/text_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace kura::metrics {

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  // Counts (integers below 2^53) in full, not as 1.2e+07; other values in the shortest form that
  // reads back the same (0.0005, not 0.00050000000000000001).
  if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
  return std::string(buffer, ec == std::errc() ? end : buffer);
}

void TextWriter::Family(std::string_view name, std::string_view help, MetricType type) {
  static constexpr std::string_view kTypes[] = {"counter", "gauge", "histogram"};
  text_.append("# HELP ").append(name).append(" ").append(EscapeHelp(help)).append("\n");
  text_.append("# TYPE ").append(name).append(" ").append(kTypes[static_cast<int>(type)]).append("\n");
}

void TextWriter::Sample(std::string_view name, std::span<const Label> labels, double value) {
  text_.append(name);
  if (!labels.empty()) {
    text_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) text_ += ',';
      text_.append(labels[i].name).append("=\"").append(EscapeLabelValue(labels[i].value)).append("\"");
    }
    text_ += '}';
  }
  text_.append(" ").append(FormatValue(value)).append("\n");
}

}  // namespace kura::metrics
