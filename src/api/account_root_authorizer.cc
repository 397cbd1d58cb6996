#include "api/account_root_authorizer.h"

namespace kura::api {

Result<void> AccountRootAuthorizer::Authorize(const Principal& principal, std::string_view,
                                              std::string_view, const policy::RequestAttributes&) const {
  if (principal.IsRoot()) return Ok();
  return MakeError(ErrorCode::kAccessDenied);
}

}  // namespace kura::api
