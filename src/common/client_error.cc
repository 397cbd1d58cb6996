#include "common/client_error.h"

#include <string>

#include "common/logging.h"

namespace kura {

Error ForClient(const Error& error, std::string_view request_id) {
  // 501 NotImplemented names the header or feature the client asked for: its message is for it.
  if (error.http_status() < 500 || error.code == ErrorCode::kNotImplemented) return error;
  Error redacted = MakeError(error.code);
  if (error.message != redacted.message) {
    LogLine(LogLevel::kError, "request_id=" + std::string(request_id) + " code=" +
                                  std::string(error.aws_code()) + " detail=" + error.message);
  }
  return redacted;
}

}  // namespace kura
