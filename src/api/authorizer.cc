#include "api/authorizer.h"

namespace kura::api {

Result<void> AccountRootAuthorizer::Authorize(const Principal& principal, std::string_view,
                                              std::string_view, const RequestFacts&) const {
  if (principal.IsRoot()) return Ok();
  return MakeError(ErrorCode::kAccessDenied);
}

}  // namespace kura::api
