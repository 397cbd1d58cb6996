#include "common/error.h"

#include <array>

namespace kura {
namespace {
constexpr std::array kErrorTable = {
#define KURA_ERROR(name, code, status, fault, message) ErrorInfo{code, status, Fault::fault, message},
#include "common/error_codes.def"
#undef KURA_ERROR
};
}  // namespace

const ErrorInfo& InfoFor(ErrorCode code) { return kErrorTable.at(static_cast<size_t>(code)); }

Error MakeError(ErrorCode code, std::string message) {
  if (message.empty()) message = std::string(InfoFor(code).default_message);
  return Error{code, std::move(message), {}};
}

}  // namespace kura
