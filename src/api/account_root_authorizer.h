// The authorizer for a server without IAM state: the account root may do anything, everyone
// else nothing (deny by default). Thread-safety: stateless.
#pragma once

#include "policy/authorizer.h"

namespace kura::api {

class AccountRootAuthorizer final : public policy::Authorizer {
 public:
  Result<void> Authorize(const Principal& principal, std::string_view action,
                         std::string_view resource, const policy::RequestAttributes& facts) const override;
};

}  // namespace kura::api
