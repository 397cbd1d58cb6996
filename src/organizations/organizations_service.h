// The AWS Organizations API for kura's one organization, on kura's one endpoint: POST / with
// `X-Amz-Target: AWSOrganizationsV20161128.<Operation>`, a JSON 1.1 body
// (organizations_request.h), SigV4 with service "organizations" (the pipeline authenticates).
// The organization is every account of this kura; its management account is the data dir's
// first one (docs/accounts.md). Only principals of the management account may call it (AWS:
// "This operation can be called only from the organization's management account"), except
// DescribeOrganization, which every member may call; others get AccessDeniedException. Within
// the management account, the root user may do everything and others need identity policies
// allowing organizations:<Operation> (the pipeline's Authorizer), as in AWS.
// Implemented: CreateAccount, DescribeCreateAccountStatus, ListCreateAccountStatus, ListAccounts,
// DescribeAccount, CloseAccount, DescribeOrganization, ListRoots. Every other operation of the
// model answers UnsupportedAPIEndpointException; a name the model lacks, UnknownOperationException.
// Shapes and errors: botocore's organizations/2016-11-28 model; errors render as
// {"__type": "...", "Message": "..."} (+ "Reason" where the shape has one).
// Thread-safety: Handle may be called concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "common/principal.h"
#include "common/random.h"
#include "common/secret.h"
#include "iam/identity_store.h"
#include "organizations/create_account_status.h"
#include "policy/authorizer.h"

namespace kura::organizations {

inline constexpr std::string_view kTargetPrefix = "AWSOrganizationsV20161128.";
inline constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";

// Where CreateAccount leaves a new account's root credentials for the operator
// (DATA/accounts/ID/root-credentials, written by cmd). Called on the blocking pool.
class RootCredentialsSink {
 public:
  virtual ~RootCredentialsSink() = default;
  virtual Result<void> Write(std::string_view account_id, std::string_view access_key_id,
                             const Secret& secret_key) = 0;
};

// What the service uses; all borrowed, all must outlive it.
struct OrganizationsEnv {
  iam::IdentityStore& identities;
  CreateAccountStatusLog& statuses;
  RootCredentialsSink& credentials;
  const policy::Authorizer& authorizer;
  Clock& clock;
  Random& random;
  boost::asio::thread_pool& blocking;
};

struct OrganizationsCall {
  std::string_view operation;  // X-Amz-Target without kTargetPrefix
  std::string_view body;
  const Principal& principal;
  const policy::RequestAttributes& facts;
};

class OrganizationsService {
 public:
  explicit OrganizationsService(OrganizationsEnv env) : env_(env) {}
  OrganizationsService(const OrganizationsService&) = delete;
  OrganizationsService& operator=(const OrganizationsService&) = delete;

  // The operation's JSON answer, or the error to render.
  boost::asio::awaitable<Result<std::string>> Handle(const OrganizationsCall& call);
  // `operation` as the operation table spells it (constant storage), or "" when kura has no such
  // operation: a name safe to use as a metrics label, never the client's own string.
  static std::string_view KnownOperation(std::string_view operation);

  // E-mail addresses of CreateAccount calls in flight (two concurrent calls with one address
  // must not both succeed: the directory shows neither until it is written). True when
  // `email` was free and is now reserved.
  bool ReserveEmail(std::string_view email);
  void ReleaseEmail(std::string_view email);

 private:
  Result<void> Authorize(const OrganizationsCall& call, std::string_view action,
                         std::string_view resource, bool any_member,
                         const iam::IdentityDirectory& directory) const;

  OrganizationsEnv env_;
  std::mutex pending_mu_;                 // guards pending_emails_
  std::set<std::string> pending_emails_;  // lower-cased
};

// The JSON error document of an Organizations error.
std::string RenderOrganizationsError(const Error& error);

}  // namespace kura::organizations
