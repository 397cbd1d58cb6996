// The IAM Query API (Version 2010-05-08, https://docs.aws.amazon.com/IAM/latest/APIReference/):
// users, access keys, groups, managed policies and their versions, attachments, inline
// policies, roles, permissions boundaries, tags, GetAccountAuthorizationDetails and the policy
// simulator. Each call is first authorized through the IamAuthorizer as "iam:<Action>" on the
// entity's ARN (the account root always passes), then validated as AWS validates, then applied
// through the IdentityStore (durable before the answer). Answers are AWS's XML.
// Thread-safety: concurrent calls are safe.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "iam/iam_authorizer.h"
#include "iam/iam_credential_resolver.h"
#include "iam/identity_store.h"
#include "query/query_api.h"

namespace kura::iam {

class IamService final : public query::QueryService {
 public:
  IamService(IdentityStore& store, const IamAuthorizer& authorizer, const KeyUsageTracker& usage,
             const Clock& clock, Random& random);

  std::string_view service() const override { return "iam"; }
  std::string_view xml_namespace() const override;
  bool AllowsAnonymous(std::string_view) const override { return false; }
  // kInvalidAction for an action IAM does not have (or kura does not implement).
  boost::asio::awaitable<Result<std::string>> Handle(const query::QueryCall& call) override;

 private:
  IdentityStore& store_;
  const IamAuthorizer& authorizer_;
  const KeyUsageTracker& usage_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace kura::iam
