// Minimal structured logging to stderr: one line per event, key=value pairs. The audit log
// (api/audit) uses it. Never pass a Secret: it has no conversion to text.
// Thread-safety: each call writes one line atomically.
#pragma once

#include <string_view>

namespace kura {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void LogLine(LogLevel level, std::string_view line);

}  // namespace kura
