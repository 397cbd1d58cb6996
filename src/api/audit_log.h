// The audit trail: one structured line per request — who (principal ARN, access key id, and for
// sessions the role, session name and source identity), what (operation), on which resource, and
// the result (HTTP status, error code). Secrets and session tokens are never written.
// Thread-safety: Record may be called from any thread; each line is written whole.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "common/principal.h"

namespace kura::api {

struct AuditRecord {
  std::string_view request_id;
  const Principal* principal = nullptr;
  std::string_view api;        // s3 | iam | sts
  std::string_view operation;  // PutObject, AssumeRole…
  std::string_view resource;   // ARN or path
  int status = 0;
  std::string_view error_code;
  std::string_view remote_address;
  double millis = 0;
};

class AuditLog {
 public:
  // path "-" = stderr, "" = disabled.
  explicit AuditLog(const std::string& path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  void Record(const AuditRecord& record);
  bool enabled() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
  bool owns_fd_ = false;
};

// Renders one audit line (exposed for tests).
std::string FormatAuditLine(const AuditRecord& record);

}  // namespace kura::api
