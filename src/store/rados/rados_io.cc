#include "store/rados/rados_io.h"

#include <cstring>
#include <string>

namespace kura::store::rados {

Error RadosError(std::string_view what, std::string_view object, int rc) {
  std::string message = "rados " + std::string(what);
  if (!object.empty()) message += " " + std::string(object);
  return MakeError(ErrorCode::kInternalError, message + ": " + std::strerror(-rc));
}

}  // namespace kura::store::rados
