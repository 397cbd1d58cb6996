// The AWS Security Token Service API (Query protocol, Version 2011-06-15):
// https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
// Operations: AssumeRole (sts/assume_role.cc), GetSessionToken (sts/get_session_token.cc),
// GetCallerIdentity and GetAccessKeyInfo (sts/caller_identity.cc), AssumeRoleWithWebIdentity
// (sts/assume_role_with_web_identity.cc, when enabled). Responses are shaped as
// botocore's data/sts/2011-06-15/service-2.json says. Sessions are stateless: everything a
// session is lives in the sealed token (sts/session_token.h); authentication reads nothing
// else. Each issuance is also recorded, without secrets, in the session registry
// (sts/session_registry.h) when there is one, for operators (IAM ListSessions).
// The operations are one policy::Endpoint table (sts_service.cc) from which the pipeline learns
// which may be unsigned; AssumeRole evaluates the caller's identity policies with the role's
// trust policy itself; the others need no permission, as in AWS.
// Thread-safety: Handle may be called concurrently (the Random must be thread-safe).
#pragma once

#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "oidc/key_source.h"
#include "query/query_api.h"
#include "sts/role_directory.h"
#include "sts/session_registry.h"
#include "sts/session_token.h"

namespace kura::sts {

inline constexpr std::string_view kStsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

struct StsConfig {
  std::string account_id;
  // The smallest DurationSeconds accepted (AWS: 900; `kura serve --sts-min-duration`).
  int min_duration_seconds = 900;
  // Told of every session issued, with its role's ARN ("" for GetSessionToken): the metrics'
  // count (kura_sts_sessions_issued_total). Empty: nobody is told.
  std::function<void(std::string_view role_arn)> on_issued;
};

// What the operation handlers use; all borrowed.
struct StsEnv {
  StsConfig config;
  const TokenCodec& codec;
  const RoleDirectory& roles;
  const Clock& clock;
  Random& random;
  // AssumeRoleWithWebIdentity's provider keys (oidc/key_source.h); null = not enabled.
  oidc::KeySource* web_identity_keys = nullptr;
  // Where every issued session is recorded (no secrets) for ListSessions; null = nowhere.
  SessionRegistry* sessions = nullptr;
};

// AssumeRoleWithWebIdentity's dependencies; without keys the operation answers that no
// provider is configured.
struct WebIdentity {
  oidc::KeySource* keys = nullptr;
  // Where the operation runs (it may fetch a provider's keys over the network); null: inline.
  boost::asio::thread_pool* blocking = nullptr;
};

class StsService final : public query::QueryService {
 public:
  // Everything borrowed must outlive the service; `sessions` may be null.
  StsService(StsConfig config, const TokenCodec& codec, const RoleDirectory& roles,
             const Clock& clock, Random& random, WebIdentity web_identity = {},
             SessionRegistry* sessions = nullptr);
  StsService(const StsService&) = delete;
  StsService& operator=(const StsService&) = delete;

  std::string_view service() const override { return "sts"; }
  std::string_view xml_namespace() const override { return kStsNamespace; }
  std::string_view version() const override { return "2011-06-15"; }
  const policy::EndpointRule* Find(std::string_view action) const override;
  Result<std::optional<std::string>> Resource(const policy::EndpointRule& endpoint,
                                              const query::QueryCall& call) const override;
  boost::asio::awaitable<Result<std::string>> Handle(const policy::EndpointRule& endpoint,
                                                     const query::QueryCall& call) override;

  // The response document (or error) for a call, synchronously: Handle's body. The overload
  // without an entry looks the action up first (tests, benchmarks).
  Result<std::string> HandleNow(const policy::EndpointRule& endpoint,
                                const query::QueryCall& call) const;
  Result<std::string> HandleNow(const query::QueryCall& call) const;

 private:
  StsEnv env_;
  boost::asio::thread_pool* blocking_ = nullptr;
};

// The operations, each returning its response document.
Result<std::string> AssumeRole(const StsEnv& env, const query::QueryCall& call);
Result<std::string> GetSessionToken(const StsEnv& env, const query::QueryCall& call);
Result<std::string> GetCallerIdentity(const StsEnv& env, const query::QueryCall& call);
Result<std::string> GetAccessKeyInfo(const StsEnv& env, const query::QueryCall& call);
Result<std::string> AssumeRoleWithWebIdentity(const StsEnv& env, const query::QueryCall& call);

}  // namespace kura::sts
