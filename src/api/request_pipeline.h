// The life of a request, top to bottom (docs/architecture.md):
//   route (S3 REST, or the IAM/STS Query API) → authenticate (SigV4: a Principal and the body's
//   verifier) → parse the typed operation → authorize (action + resource through the Authorizer)
//   → dispatch (exhaustive switch) → respond, rendering any Error as its API's XML → audit (one
//   CloudTrail-shaped record, built only when the audit log is enabled).
// Writes that take space are refused (507) before their body is read while the data dir's file
// system is below its reserve; error answers never show a server fault's detail (ForClient).
// Thread-safety: one pipeline serves every connection; its collaborators are thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <functional>
#include <string>
#include <vector>

#include "api/audit_log.h"
#include "api/request_ids.h"
#include "policy/authorizer.h"
#include "query/query_api.h"
#include "common/random.h"
#include "http/exchange.h"
#include "kms/kms_service.h"
#include "metrics/request_metrics.h"
#include "organizations/organizations_service.h"
#include "s3/s3_call.h"
#include "sigv4/verifier.h"
#include "store/space/free_space.h"

namespace kura::api {

namespace net = boost::asio;

struct PipelineConfig {
  std::string virtual_host_domain;  // "" = path-style only
  // The data dir's free space: writes that take space are refused below its reserve (507
  // InsufficientStorage, space_guard.h). Null: no reserve.
  store::space::FreeSpaceMonitor* free_space = nullptr;
  // Where each request is counted (metrics/request_metrics.h). Null: not counted.
  metrics::RequestMetrics* metrics = nullptr;
  // True while the node's configuration may be stale (node/config_follower.h: the shared store's
  // configuration generation not confirmed for too long): every request that would be
  // authorized with it is refused with 503 (S3 SlowDown, the others ServiceUnavailable) until it
  // is current again. Empty: never (one node on its own store).
  std::function<bool()> configuration_stale{};
  // With several nodes on one store: waits, after a configuration write succeeded and before its
  // answer goes out, until every live node follows it (node/write_acknowledgement.h); which
  // requests count is api/configuration_writes.h. Empty: answered at once (one node).
  std::function<boost::asio::awaitable<void>()> await_followers{};
};

class RequestPipeline final : public http::Handler {
 public:
  RequestPipeline(PipelineConfig config, s3::S3Env& s3, const sigv4::Verifier& verifier,
                  const policy::Authorizer& authorizer, Random& random, AuditLog& audit);

  // Registers the IAM or STS Query API (by its service name).
  void AddQueryService(query::QueryService& service) { query_services_.push_back(&service); }
  // Registers the KMS JSON API (requests signed for service "kms" or naming a TrentService
  // X-Amz-Target).
  void SetKmsService(kms::KmsService& service) { kms_ = &service; }
  // Registers the AWS Organizations JSON API (requests signed for service "organizations" or
  // naming an AWSOrganizationsV20161128 X-Amz-Target).
  void SetOrganizationsService(organizations::OrganizationsService& service) {
    organizations_ = &service;
  }

  net::awaitable<void> Handle(http::Exchange& exchange) override;
  // Renders the transport's refusals (malformed head, connection cap) as S3 <Error> documents:
  // the request was never parsed far enough to tell its API, and S3 is the default one.
  net::awaitable<void> HandleProtocolError(http::Exchange& exchange, const Error& error) override;

 private:
  struct Context;
  net::awaitable<void> HandleS3(Context& ctx);
  net::awaitable<void> HandleQuery(Context& ctx, query::QueryService* service);
  net::awaitable<void> HandleKms(Context& ctx);
  net::awaitable<void> HandleOrganizations(Context& ctx);
  // The authorization S3's handlers ask for beyond the request's own action (a copy source, a
  // KMS key): KMS keys by their key policy, everything else by the authorizer.
  Result<void> AuthorizeForS3(const Principal& principal, std::string_view action,
                              std::string_view resource, const policy::RequestAttributes& facts) const;
  // The whole body of a Query or KMS request, which is hashed into its signature, up to `limit`
  // bytes (kInvalidRequest beyond, closing the connection after the answer).
  net::awaitable<Result<std::string>> ReadSmallBody(Context& ctx, size_t limit);
  bool IsKmsRequest(const Context& ctx) const;
  bool IsOrganizationsRequest(const Context& ctx) const;

  query::QueryService* QueryServiceFor(const Context& ctx) const;
  // The S3 request `head` asks for (operation, bucket, key), or why it names none.
  Result<s3::S3Request> RouteS3(const http::RequestHead& head) const;
  // The bucket's CORS grant for a request with an Origin header, added to an error answer.
  void AddCorsHeaders(const http::RequestHead& request, http::ResponseHead& head) const;
  net::awaitable<void> RespondS3Error(Context& ctx, const Error& error);
  // Counts the finished request: its API, the endpoint table's name of its operation, status,
  // duration, body bytes, and the authentication or authorization failure it answered.
  void RecordMetrics(const Context& ctx, metrics::Api api) const;
  net::awaitable<void> RespondQueryError(Context& ctx, query::QueryService* service, const Error& error);
  // The front the JSON-protocol services (KMS, Organizations) share, once the body is read: a
  // SigV4 signature scoped to `service` (checked before verifying, so that a request signed for
  // S3 fails on its scope, not on S3's rules, and again after), by a signed principal. Errors in
  // the JSON services' codes (ForKmsApi).
  Result<sigv4::AuthResult> AuthenticateJsonCall(Context& ctx, std::string_view service) const;
  net::awaitable<void> RespondKmsError(Context& ctx, const Error& error);
  net::awaitable<void> RespondOrganizationsError(Context& ctx, const Error& error);
  // The error answer of IAM, STS and KMS: `document` (their error rendering) with its type.
  net::awaitable<void> RespondApiError(Context& ctx, const Error& error, std::string_view content_type,
                                       std::string document);
  // Notes the S3 request's name, parameters, bucket and key for its audit record.
  void NoteS3Request(Context& ctx, const s3::S3Request& request) const;
  // The request's audit record (audit_record.h), from what the steps above learned.
  std::string RenderAuditRecord(const Context& ctx);

  PipelineConfig config_;
  s3::S3Env& s3_;
  const sigv4::Verifier& verifier_;
  const policy::Authorizer& authorizer_;
  RequestIds request_ids_;
  Random& random_;  // audit event ids
  AuditLog& audit_;
  std::vector<query::QueryService*> query_services_;
  kms::KmsService* kms_ = nullptr;
  organizations::OrganizationsService* organizations_ = nullptr;
};

}  // namespace kura::api
