#include "store/rados/rados_io.h"

#include <cerrno>
#include <cstring>
#include <string>

namespace kura::store::rados {

namespace {

// The cluster is out of reach for now (an operation past its timeout, no connection, a monitor
// shutting down, too busy): another try may succeed, so S3 clients get 503 SlowDown and retry.
bool MeansTryAgain(int rc) {
  switch (-rc) {
    case ETIMEDOUT: case ENOTCONN: case ECONNREFUSED: case ECONNRESET: case ESHUTDOWN:
    case EAGAIN: case EBUSY: case EINTR:
      return true;
    default:
      return false;
  }
}

}  // namespace

Error RadosError(std::string_view what, std::string_view object, int rc) {
  std::string message = "rados " + std::string(what);
  if (!object.empty()) message += " " + std::string(object);
  ErrorCode code = MeansTryAgain(rc) ? ErrorCode::kServiceUnavailable : ErrorCode::kInternalError;
  return MakeError(code, message + ": " + std::strerror(-rc));
}

}  // namespace kura::store::rados
