// The Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): `# HELP` and
// `# TYPE` lines once per metric family, then its samples, `name{label="value",…} value`, all of
// a family's samples together. Label values escape backslash, double quote and line feed; HELP
// text backslash and line feed. Values are Go-style floats ("+Inf", "NaN", integers in full).
// Thread-safety: a TextWriter is one scrape's, used by one thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace kura::metrics {

struct Label {
  std::string_view name;
  std::string_view value;
};

enum class MetricType { kCounter, kGauge, kHistogram };

std::string EscapeLabelValue(std::string_view value);
std::string EscapeHelp(std::string_view help);
std::string FormatValue(double value);

class TextWriter {
 public:
  // Starts a family: its HELP and TYPE lines.
  void Family(std::string_view name, std::string_view help, MetricType type);
  void Sample(std::string_view name, std::span<const Label> labels, double value);
  void Sample(std::string_view name, std::initializer_list<Label> labels, double value) {
    Sample(name, std::span<const Label>(labels.begin(), labels.size()), value);
  }
  const std::string& text() const { return text_; }
  std::string Take() { return std::move(text_); }

 private:
  std::string text_;
};

}  // namespace kura::metrics
