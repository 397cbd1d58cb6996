// The IAM Query API (Version 2010-05-08, https://docs.aws.amazon.com/IAM/latest/APIReference/):
// users, access keys, groups, managed policies and their versions, attachments, inline
// policies, roles, permissions boundaries, tags, GetAccountAuthorizationDetails and the policy
// simulator, and ListSessions (a kura extension: the live STS sessions). The actions are one policy::Endpoint table (iam_service.cc), each with the kind of
// resource "iam:<Action>" is authorized on; the pipeline asks Resource for the entity's ARN and
// authorizes before Handle runs. A handler then validates as AWS validates and applies through
// the IdentityStore (durable before the answer). Answers are AWS's XML.
// Thread-safety: concurrent calls are safe.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string_view>

#include "common/clock.h"
#include "common/live_session.h"
#include "common/random.h"
#include "iam/iam_credential_resolver.h"
#include "iam/key_last_use.h"
#include "iam/identity_store.h"
#include "query/query_api.h"

namespace kura::iam {

class IamService final : public query::QueryService {
 public:
  // `sessions` (the STS session registry, for ListSessions) may be null: ListSessions then
  // answers that the registry is off. `usage`: where GetAccessKeyLastUsed looks.
  IamService(IdentityStore& store, KeyUsageSources usage, const Clock& clock,
             Random& random, const LiveSessionSource* sessions = nullptr);

  std::string_view service() const override { return "iam"; }
  std::string_view xml_namespace() const override;
  std::string_view version() const override { return "2010-05-08"; }
  const policy::EndpointRule* Find(std::string_view action) const override;
  // The entity's ARN for the entry's resource kind; ValidationError for a malformed name.
  Result<std::optional<std::string>> Resource(const policy::EndpointRule& endpoint,
                                              const query::QueryCall& call) const override;
  boost::asio::awaitable<Result<std::string>> Handle(const policy::EndpointRule& endpoint,
                                                     const query::QueryCall& call) override;

 private:
  IdentityStore& store_;
  const KeyUsageSources usage_;
  const Clock& clock_;
  Random& random_;
  const LiveSessionSource* sessions_;
};

}  // namespace kura::iam
