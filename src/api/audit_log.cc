#include "api/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace kura::api {
namespace {
bool NeedsEscape(unsigned char c) { return c == '"' || c == '\\' || c < 0x20 || c == 0x7f; }

// key="value" with quotes, backslashes and control bytes escaped, so hostile keys cannot
// forge fields or lines.
void AppendField(std::string& out, std::string_view key, std::string_view value) {
  out += ' ';
  out += key;
  out += "=\"";
  size_t i = 0;
  while (i < value.size()) {
    size_t start = i;  // a run that needs no escaping goes in with one append
    while (i < value.size() && !NeedsEscape(static_cast<unsigned char>(value[i]))) ++i;
    out.append(value.substr(start, i - start));
    if (i == value.size()) break;
    auto c = static_cast<unsigned char>(value[i++]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  out += '"';
}
}  // namespace

std::string FormatAuditLine(const AuditRecord& r) {
  std::string line;
  line.reserve(256);  // a typical line: one allocation
  line = "audit";
  AppendField(line, "request_id", r.request_id);
  AppendField(line, "api", r.api);
  AppendField(line, "op", r.operation);
  if (r.principal != nullptr) {
    AppendField(line, "principal", r.principal->arn.empty() ? "anonymous" : r.principal->arn);
    if (!r.principal->access_key_id.empty()) AppendField(line, "access_key", r.principal->access_key_id);
    if (r.principal->session) {
      const auto& s = *r.principal->session;
      if (!s.role_arn.empty()) AppendField(line, "role", s.role_arn);
      if (!s.session_name.empty()) AppendField(line, "session", s.session_name);
      if (!s.source_identity.empty()) AppendField(line, "source_identity", s.source_identity);
    }
  }
  AppendField(line, "resource", r.resource);
  line += " status=" + std::to_string(r.status);
  if (!r.error_code.empty()) AppendField(line, "error", r.error_code);
  AppendField(line, "remote", r.remote_address);
  char ms[32];
  std::snprintf(ms, sizeof ms, " ms=%.3f", r.millis);
  line += ms;
  line += '\n';
  return line;
}

AuditLog::AuditLog(const std::string& path) {
  if (path == "-") {
    fd_ = STDERR_FILENO;
  } else if (!path.empty()) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    owns_fd_ = fd_ >= 0;
  }
}

AuditLog::~AuditLog() {
  if (owns_fd_) ::close(fd_);
}

void AuditLog::Record(const AuditRecord& record) {
  if (fd_ < 0) return;
  std::string line = FormatAuditLine(record);
  // O_APPEND + one write(2) per line: lines from concurrent requests never interleave.
  [[maybe_unused]] auto n = ::write(fd_, line.data(), line.size());
}

}  // namespace kura::api
