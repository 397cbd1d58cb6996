#include "api/request_pipeline.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>

#include "api/audit_parameters.h"
#include "api/audit_record.h"
#include "api/auth_failure.h"
#include "api/counting_exchange.h"
#include "api/configuration_writes.h"
#include "api/space_guard.h"
#include "common/client_error.h"
#include "common/limits.h"
#include "policy/arn.h"
#include "s3/acl_grant_source.h"
#include "s3/bucket_policy_cache.h"
#include "s3/cors.h"
#include "s3/metadata_reads.h"
#include "s3/response.h"

namespace kura::api {
namespace {
namespace bhttp = boost::beast::http;
using SteadyClock = std::chrono::steady_clock;

// The SigV4 credential ("AKID/DATE/REGION/SERVICE/aws4_request", the query's form percent-encoded)
// of the Authorization header or the presigned query, "" if none.
std::string_view CredentialOf(const sigv4::RequestView& view) {
  std::string_view credential;
  auto authorization = view.Header("authorization");
  if (size_t at = authorization.find("Credential="); at != std::string_view::npos) {
    credential = authorization.substr(at + 11);
    // std::string_view::find_first_of calls memchr once per character: 170 calls a request.
    auto end = std::find_if(credential.begin(), credential.end(),
                            [](char c) { return c == ',' || c == ' '; });
    credential = credential.substr(0, static_cast<size_t>(end - credential.begin()));
  } else if (size_t q = view.target.find("X-Amz-Credential="); q != std::string_view::npos) {
    credential = view.target.substr(q + 17);
    credential = credential.substr(0, credential.find('&'));
  }
  return credential;
}

// The access key id a request presented (SigV4 or SigV2, header or query), for the audit record of
// a request whose authentication failed: which key is failing is what an operator asks first.
// An id is not a secret; it is cut at the first character no access key id holds.
std::string_view PresentedAccessKeyId(const sigv4::RequestView& view) {
  std::string_view id = CredentialOf(view);
  if (id.empty()) {
    auto authorization = view.Header("authorization");
    if (authorization.starts_with("AWS ")) {
      id = authorization.substr(4);
    } else if (size_t q = view.target.find("AWSAccessKeyId="); q != std::string_view::npos) {
      id = view.target.substr(q + 15);
    }
  }
  size_t end = 0;
  while (end < id.size() && end < 128 && std::isalnum(static_cast<unsigned char>(id[end]))) ++end;
  return id.substr(0, end);
}

// The service named by the credential scope (".../REGION/SERVICE/aws4_request"), if any: the
// segment before "aws4_request", where both "/" and its query-string escape "%2F" separate them.
std::string_view ScopeService(const sigv4::RequestView& view) {
  std::string_view credential = CredentialOf(view);
  size_t end = credential.find("aws4_request");
  if (end == std::string_view::npos) return {};
  std::string_view before = credential.substr(0, end);
  if (before.ends_with("%2F")) {
    before.remove_suffix(3);
    if (size_t start = before.rfind("%2F"); start != std::string_view::npos) {
      before.remove_prefix(start + 3);
    }
  } else if (before.ends_with('/')) {
    before.remove_suffix(1);
    if (size_t start = before.rfind('/'); start != std::string_view::npos) {
      before.remove_prefix(start + 1);
    }
  } else {
    return {};
  }
  for (std::string_view service : {"iam", "sts", "s3", "kms", "organizations"}) {
    if (before == service) return service;
  }
  return {};
}

bool IsFormPost(const http::RequestHead& head) {
  return head.method == bhttp::verb::post && (head.target == "/" || head.target.starts_with("/?")) &&
         head.fields[bhttp::field::content_type].starts_with("application/x-www-form-urlencoded");
}

// IAM and STS report authentication failures with their own codes (Query API "Common Errors").
Error ForQueryApi(Error error) {
  switch (error.code) {
    case ErrorCode::kInvalidAccessKeyId: return MakeError(ErrorCode::kInvalidAccessKeyIdIamSts);
    case ErrorCode::kSignatureDoesNotMatch: return MakeError(ErrorCode::kSignatureDoesNotMatchIamSts);
    case ErrorCode::kExpiredToken: return MakeError(ErrorCode::kExpiredTokenIamSts);
    case ErrorCode::kInvalidToken: return MakeError(ErrorCode::kInvalidClientTokenId);
    case ErrorCode::kRequestTimeTooSkewed:
      return MakeError(ErrorCode::kSignatureDoesNotMatchIamSts, "Signature expired: " + error.message);
    case ErrorCode::kAuthorizationHeaderMalformed:
    case ErrorCode::kAuthorizationQueryParametersError:
      return MakeError(ErrorCode::kIncompleteSignature, error.message);
    default: return error;
  }
}

// KMS reports authentication failures with its own codes (KMS API "Common Errors").
Error ForKmsApi(Error error) {
  switch (error.code) {
    case ErrorCode::kInvalidAccessKeyId:
    case ErrorCode::kInvalidToken: return MakeError(ErrorCode::kUnrecognizedClient);
    case ErrorCode::kSignatureDoesNotMatch: return MakeError(ErrorCode::kKmsInvalidSignature);
    case ErrorCode::kExpiredToken:
      return MakeError(ErrorCode::kExpiredTokenException,
                       "The security token included in the request is expired");
    case ErrorCode::kRequestTimeTooSkewed:
      return MakeError(ErrorCode::kKmsInvalidSignature, "Signature expired: " + error.message);
    case ErrorCode::kAuthorizationHeaderMalformed:
    case ErrorCode::kAuthorizationQueryParametersError:
      return MakeError(ErrorCode::kKmsIncompleteSignature, error.message);
    default: return error;
  }
}

Error WrongServiceScope(std::string_view service) {
  return MakeError(ErrorCode::kKmsInvalidSignature,
                   "Credential should be scoped to correct service: '" + std::string(service) + "'.");
}

// Whether an object ACL may grant `action` (s3::AclRequirementFor).
bool NeedsObjectAcl(std::string_view action) {
  auto requirement = s3::AclRequirementFor(action);
  return requirement && requirement->level == s3::AclRequirement::Level::kObject;
}

// The bucket an S3 resource ARN names ("arn:aws:s3:::BUCKET[/KEY]"): its policy is the one that
// applies to a resource a handler authorizes, which may be in another bucket than the request's
// (CopyObject's and UploadPartCopy's source).
std::string_view BucketOfArn(std::string_view resource) {
  auto arn = policy::ParseArn(resource);
  if (!arn || arn->service != "s3") return {};
  return arn->resource.substr(0, arn->resource.find('/'));
}

// What an IAM or STS answer tells the audit record: its responseElements and, for
// AssumeRoleWithWebIdentity (signed by no one), who the token named.
void NoteQueryAnswer(std::string_view action, std::string_view xml, std::string& response_elements,
                     WebIdentityCaller& web_identity) {
  response_elements = ResponseElementsOf(action, xml);
  if (action == "AssumeRoleWithWebIdentity") {
    web_identity = {XmlElementText(xml, "Provider"), XmlElementText(xml, "SubjectFromWebIdentityToken"),
                    XmlElementText(xml, "Audience")};
  }
}

policy::RequestAttributes FactsOf(const http::RequestHead& head) {
  policy::RequestAttributes facts;
  facts.source_ip = head.remote_address;
  facts.secure_transport = head.secure_transport;
  facts.user_agent = head.fields[bhttp::field::user_agent];
  facts.referer = head.fields[bhttp::field::referer];
  return facts;
}
// A node that cannot confirm its configuration is current must not authorize with it: a key
// deleted or a policy narrowed on another node may still be in its copy. Anonymous requests are
// refused too (they are authorized against bucket policies); CORS preflights are not (nothing
// is authorized).
Result<void> CheckConfigurationFresh(const PipelineConfig& config, ErrorCode code) {
  if (!config.configuration_stale || !config.configuration_stale()) return Ok();
  return MakeError(code,
                   "This node cannot confirm that its configuration is current. Please retry.");
}

}  // namespace

struct RequestPipeline::Context {
  explicit Context(CountingExchange& e) : exchange(e), counted(e), started(SteadyClock::now()) {}
  http::Exchange& exchange;
  const CountingExchange& counted;  // the same exchange: what its answer sent
  SteadyClock::time_point started;
  std::string request_id;
  std::vector<sigv4::HeaderField> headers;
  sigv4::RequestView view;
  std::shared_ptr<const Principal> principal;
  std::string api = "s3";
  std::string operation;
  std::string resource;
  std::string error_code;
  // For the metrics: the operation's name in its API's endpoint table ("" when the request names
  // none it knows; never the client's own string), and the error answered, if any.
  std::string_view table_operation;
  std::optional<ErrorCode> answered_error;
  std::string error_message;
  // For the audit record, gathered only while the audit log is enabled.
  bool auditing = false;
  std::optional<AuditParams> audit_params;
  std::string response_elements;
  WebIdentityCaller web_identity;
  std::string bucket;
  std::string key;
  std::string_view signature_version;
  std::string_view authentication_method;
};

RequestPipeline::RequestPipeline(PipelineConfig config, s3::S3Env& s3, const sigv4::Verifier& verifier,
                                 const policy::Authorizer& authorizer, Random& random, AuditLog& audit)
    : config_(std::move(config)), s3_(s3), verifier_(verifier), authorizer_(authorizer),
      request_ids_(random), random_(random), audit_(audit) {}

namespace {
// AWS's message for an error answered without one of its own.
std::string MessageOf(const Error& error) {
  return error.message.empty() ? std::string(InfoFor(error.code).default_message) : error.message;
}
}  // namespace

std::string RequestPipeline::RenderAuditRecord(const Context& ctx) {
  const auto& head = ctx.exchange.request();
  const Principal* principal = ctx.principal.get();
  // An S3 bucket's owner is the account acted on; for the other APIs, the caller's own.
  std::string recipient;
  if (!ctx.bucket.empty()) recipient = s3_.policies.OwnerOf(ctx.bucket);
  if (recipient.empty() && principal != nullptr) recipient = principal->account_id;
  if (recipient.empty()) recipient = s3_.account_id;
  std::string event_id = NewEventId(random_);
  AuditEvent event{
      .time = s3_.clock.Now(),
      .event_id = event_id,
      .request_id = ctx.request_id,
      .principal = principal,
      .presented_access_key_id = principal == nullptr ? PresentedAccessKeyId(ctx.view) : "",
      .api = ctx.api,
      .operation = ctx.operation,
      .region = s3_.region,
      .source_ip = head.remote_address,
      .user_agent = head.fields[bhttp::field::user_agent],
      .recipient_account = recipient,
      .error_code = ctx.error_code,
      .error_message = ctx.error_message,
      .request_parameters = ctx.audit_params ? &*ctx.audit_params : nullptr,
      .response_elements = ctx.response_elements,
      .web_identity = &ctx.web_identity,
      .bucket = ctx.bucket,
      .key = ctx.key,
      .signature_version = ctx.signature_version,
      .authentication_method = ctx.authentication_method,
      .bytes_in = head.content_length,
      .bytes_out = ctx.counted.bytes_out(),
      .tls = head.secure_transport,
      .host = head.fields[bhttp::field::host],
  };
  return RenderCloudTrailRecord(event);
}

net::awaitable<void> RequestPipeline::Handle(http::Exchange& connection_exchange) {
  CountingExchange exchange(connection_exchange);
  Context ctx(exchange);
  ctx.auditing = audit_.enabled();
  const auto& head = exchange.request();
  ctx.request_id = request_ids_.Next();
  ctx.headers.reserve(16);
  for (const auto& field : head.fields) ctx.headers.push_back({field.name_string(), field.value()});
  ctx.view.method = head.method_string;
  ctx.view.target = head.target;
  ctx.view.headers = ctx.headers;
  ctx.view.source_ip = head.remote_address;

  if (IsKmsRequest(ctx)) {
    co_await HandleKms(ctx);
  } else if (IsOrganizationsRequest(ctx)) {
    co_await HandleOrganizations(ctx);
  } else if (query::QueryService* service = QueryServiceFor(ctx)) {
    co_await HandleQuery(ctx, service);
  } else {
    co_await HandleS3(ctx);
  }

  RecordMetrics(ctx, metrics::ApiFromName(ctx.api));
  audit_.Record([&] { return RenderAuditRecord(ctx); });
}

void RequestPipeline::RecordMetrics(const Context& ctx, metrics::Api api) const {
  if (config_.metrics == nullptr) return;
  if (ctx.answered_error) {
    if (auto reason = AuthFailureOf(*ctx.answered_error)) config_.metrics->RecordAuthFailure(api, *reason);
  }
  config_.metrics->Record(api, ctx.table_operation, ctx.exchange.response_status(),
                          SteadyClock::now() - ctx.started, ctx.exchange.body_bytes_read(),
                          ctx.exchange.response_body_bytes());
}

net::awaitable<void> RequestPipeline::HandleProtocolError(http::Exchange& connection_exchange,
                                                          const Error& error) {
  CountingExchange exchange(connection_exchange);
  Context ctx(exchange);
  ctx.request_id = request_ids_.Next();
  co_await RespondS3Error(ctx, error);
  RecordMetrics(ctx, metrics::Api::kUnknown);
  audit_.Record([&] { return RenderAuditRecord(ctx); });
}

query::QueryService* RequestPipeline::QueryServiceFor(const Context& ctx) const {
  std::string_view scope = ScopeService(ctx.view);
  bool anonymous_form = scope.empty() && IsFormPost(ctx.exchange.request());
  for (query::QueryService* service : query_services_) {
    if (scope == service->service()) return service;
  }
  // An unsigned form post names its API by its Action; only STS has unsigned actions.
  if (anonymous_form) {
    for (query::QueryService* service : query_services_) {
      if (service->service() == "sts") return service;
    }
  }
  return nullptr;
}

bool RequestPipeline::IsKmsRequest(const Context& ctx) const {
  return kms_ != nullptr && (ScopeService(ctx.view) == "kms" ||
                             ctx.view.Header("x-amz-target").starts_with(kms::kTargetPrefix));
}

bool RequestPipeline::IsOrganizationsRequest(const Context& ctx) const {
  return organizations_ != nullptr &&
         (ScopeService(ctx.view) == "organizations" ||
          ctx.view.Header("x-amz-target").starts_with(organizations::kTargetPrefix));
}

namespace {
sigv4::AuthResult UnsignedPreflight() {
  sigv4::AuthResult anonymous;
  anonymous.principal = sigv4::AnonymousPrincipal();
  return anonymous;
}
}  // namespace

Result<s3::S3Request> RequestPipeline::RouteS3(const http::RequestHead& head) const {
  return s3::ParseS3Request(
      s3::RouteInput{head.method, head.target, head.fields[bhttp::field::host],
                     config_.virtual_host_domain, head.fields.count("x-amz-copy-source") > 0,
                     head.fields[bhttp::field::content_type].starts_with("multipart/form-data")});
}

void RequestPipeline::AddCorsHeaders(const http::RequestHead& request,
                                     http::ResponseHead& head) const {
  std::string_view origin = request.fields[bhttp::field::origin];
  if (origin.empty()) return;
  auto route = RouteS3(request);
  if (!route) return;
  for (auto& [name, value] :
       s3::CorsHeadersFor(s3_, route->bucket, origin, request.method_string)) {
    head.fields.set(name, value);
  }
}

void RequestPipeline::NoteS3Request(Context& ctx, const s3::S3Request& request) const {
  ctx.operation = std::string(s3::OperationName(request.operation));
  ctx.audit_params = S3ParametersForAudit(request, ctx.exchange.request().fields[bhttp::field::host]);
  ctx.bucket = request.bucket;
  ctx.key = request.key;
}

net::awaitable<void> RequestPipeline::HandleS3(Context& ctx) {
  const auto& head = ctx.exchange.request();
  ctx.resource = head.target.substr(0, head.target.find('?'));
  // A CORS preflight is never signed: the browser sends it by itself to the URL of the request it
  // asks about, and a presigned URL's X-Amz-* query there signs that PUT or GET, not the OPTIONS.
  // S3 answers a preflight from the bucket's CORS configuration alone.
  auto auth = head.method == bhttp::verb::options ? Result<sigv4::AuthResult>(UnsignedPreflight())
                                                  : verifier_.Verify(ctx.view);
  if (!auth) {
    // The record of a refused request still names what it asked for (an expired session's
    // PutObject on BUCKET/KEY).
    if (auto asked = RouteS3(head); asked && ctx.auditing) NoteS3Request(ctx, *asked);
    co_await RespondS3Error(ctx, auth.error());
    co_return;
  }
  ctx.principal = auth->principal;
  auto request = RouteS3(head);
  if (!request) {
    co_await RespondS3Error(ctx, request.error());
    co_return;
  }
  ctx.operation = std::string(s3::OperationName(request->operation));
  ctx.table_operation = s3::OperationName(request->operation);
  ctx.resource = request->ResourceArn();
  if (ctx.auditing) {
    NoteS3Request(ctx, *request);
    if (!auth->principal->IsAnonymous()) {
      ctx.signature_version = auth->version == sigv4::SignatureVersion::kV2 ? "SigV2" : "SigV4";
      ctx.authentication_method = auth->type == sigv4::AuthType::kPresigned ? "QueryString" : "AuthHeader";
    }
  }
  if (head.method != bhttp::verb::options) {
    if (auto fresh = CheckConfigurationFresh(config_, ErrorCode::kSlowDown); !fresh) {
      co_await RespondS3Error(ctx, fresh.error());
      co_return;
    }
  }
  if (auth->version == sigv4::SignatureVersion::kV2 && !s3::SubresourceUnsignedBySigV2(*request).empty()) {
    co_await RespondS3Error(ctx, MakeError(ErrorCode::kInvalidRequest,
                                           "The authorization mechanism you have provided is not "
                                           "supported. Please use AWS4-HMAC-SHA256."));
    co_return;
  }

  policy::RequestAttributes facts = FactsOf(head);
  facts.bucket = request->bucket;
  facts.content_sha256 = auth->content_sha256;
  facts.auth_type = auth->type == sigv4::AuthType::kPresigned ? "REST-QUERY-STRING" : "REST-HEADER";
  facts.grants = auth->grants.get();
  std::string prefix = request->Query("prefix"), delimiter = request->Query("delimiter"),
              max_keys = request->Query("max-keys"), version_id = request->Query("versionId");
  facts.version_id = version_id;
  facts.prefix = prefix;
  facts.delimiter = delimiter;
  facts.max_keys = max_keys;
  const Principal& principal = *auth->principal;
  // CORS preflights and browser POST uploads are not signed requests: their handlers decide.
  // DeleteObjects' handler authorizes each key (call.authorize below).
  auto allowed = s3::AuthenticatesItself(request->operation) || s3::AuthorizesEachObject(request->operation)
                     ? Result<void>()
                     : authorizer_.Authorize(principal, s3::IamActionOf(*request), ctx.resource, facts);
  // When metadata reads wait on the network, an object's ACL is not read on this I/O thread (the
  // ACL source grants nothing here): a refusal of an action an object ACL may grant — asked only
  // when the policies allowed nothing, so never on the fast path — is decided again on the read
  // threads, where the source reads the ACL.
  if (!allowed && s3_.metadata_reads != nullptr && NeedsObjectAcl(s3::IamActionOf(*request))) {
    allowed = co_await s3::StoreRead(s3_.metadata_reads, [&] {
      return authorizer_.Authorize(principal, s3::IamActionOf(*request), ctx.resource, facts);
    });
  }
  if (!allowed) {
    co_await RespondS3Error(ctx, allowed.error());
    co_return;
  }

  // Before the body: a write the disk cannot take is refused at once (the reserve).
  if (auto space = CheckFreeSpace(config_.free_space, ctx.operation, head.content_length); !space) {
    co_await RespondS3Error(ctx, space.error());
    co_return;
  }

  // From here on the body is readable only through the verifier of the signature just checked.
  sigv4::VerifiedBody body(ctx.exchange, *auth, ctx.view, head.content_length);
  // A bucket configuration write answers its success once every node follows it.
  std::optional<AcknowledgingSink> acknowledging;
  if (config_.await_followers && WritesConfiguration(request->operation)) {
    acknowledging.emplace(ctx.exchange, config_.await_followers);
  }
  ResponseSink& sink = acknowledging ? static_cast<ResponseSink&>(*acknowledging) : ctx.exchange;
  s3::S3Call call{*request, head, ctx.headers, body, sink, ctx.request_id,
                  [this, &principal, facts](std::string_view action, std::string_view resource) {
                    policy::RequestAttributes of_resource = facts;
                    of_resource.bucket = BucketOfArn(resource);
                    return AuthorizeForS3(principal, action, resource, of_resource);
                  },
                  [this, facts](const Principal& as, const ResolvedGrants* grants, std::string_view action,
                                std::string_view resource) {
                    policy::RequestAttributes as_facts = facts;
                    as_facts.grants = grants;
                    as_facts.bucket = BucketOfArn(resource);
                    return AuthorizeForS3(as, action, resource, as_facts);
                  }};
  call.principal = &principal;
  auto result = co_await s3::Dispatch(s3_, call);
  if (!call.answered_error.empty()) {
    ctx.error_code = call.answered_error;
    ctx.error_message = call.answered_error_message;
  }
  if (!result) {
    // A body refused at a size limit is not read on to its end.
    if (body.overflowed()) ctx.exchange.CloseAfterResponse();
    co_await RespondS3Error(ctx, ExplainWriteFailure(config_.free_space, ctx.operation,
                                                     head.content_length, result.error()));
  }
}

net::awaitable<Result<std::string>> RequestPipeline::ReadSmallBody(Context& ctx, size_t limit) {
  std::string body;
  for (;;) {
    auto piece = co_await ctx.exchange.ReadBody();
    if (!piece) co_return piece.error();
    if (piece->empty()) co_return body;
    body.append(*piece);
    if (body.size() > limit) {
      ctx.exchange.CloseAfterResponse();
      co_return MakeError(ErrorCode::kInvalidRequest, "Request body too large");
    }
  }
}

Result<sigv4::AuthResult> RequestPipeline::AuthenticateJsonCall(Context& ctx,
                                                                std::string_view service) const {
  // Before verifying: a request signed for S3 would fail there on S3's own rules first.
  if (std::string_view scope = ScopeService(ctx.view); !scope.empty() && scope != service) {
    return WrongServiceScope(service);
  }
  auto auth = verifier_.Verify(ctx.view);
  if (!auth) return ForKmsApi(auth.error());
  if (auth->principal->IsAnonymous()) return MakeError(ErrorCode::kKmsMissingAuthenticationToken);
  if (auth->version == sigv4::SignatureVersion::kV2) {
    return MakeError(ErrorCode::kKmsIncompleteSignature);
  }
  // A target of this service signed for another one.
  if (ScopeService(ctx.view) != service) return WrongServiceScope(service);
  return auth;
}

net::awaitable<void> RequestPipeline::HandleKms(Context& ctx) {
  const auto& head = ctx.exchange.request();
  ctx.api = "kms";
  ctx.resource = "/";
  std::string_view target = ctx.view.Header("x-amz-target");
  std::string_view operation =
      target.starts_with(kms::kTargetPrefix) ? target.substr(kms::kTargetPrefix.size()) : "";
  ctx.operation = std::string(operation);
  ctx.table_operation = kms::KmsService::KnownOperation(operation);
  auto body = co_await ReadSmallBody(ctx, limits::kMaxKmsRequestBytes);
  if (!body) {
    co_await RespondKmsError(ctx, body.error().code == ErrorCode::kInvalidRequest
                                      ? MakeError(ErrorCode::kKmsValidation, body.error().message)
                                      : body.error());
    co_return;
  }
  ctx.view.body = *body;
  if (ctx.auditing) ctx.audit_params = JsonParametersForAudit(*body);
  auto auth = AuthenticateJsonCall(ctx, "kms");
  if (!auth) {
    co_await RespondKmsError(ctx, auth.error());
    co_return;
  }
  ctx.principal = auth->principal;
  if (auto fresh = CheckConfigurationFresh(config_, ErrorCode::kServiceUnavailable); !fresh) {
    co_await RespondKmsError(ctx, fresh.error());
    co_return;
  }
  if (auto space = CheckFreeSpace(config_.free_space, operation, 0); !space) {
    co_await RespondKmsError(ctx, space.error());
    co_return;
  }
  policy::RequestAttributes facts = FactsOf(head);
  facts.grants = auth->grants.get();
  auto result = co_await kms_->Handle(kms::KmsCall{operation, *body, *auth->principal, facts});
  if (!result) {
    co_await RespondKmsError(ctx, result.error());
    co_return;
  }
  if (config_.await_followers && WritesConfiguration(operation)) co_await config_.await_followers();
  http::ResponseHead response;
  response.fields.set("x-amzn-RequestId", ctx.request_id);
  response.fields.set(bhttp::field::content_type, kms::kJsonContentType);
  auto sent = co_await ctx.exchange.Respond(std::move(response), std::move(*result));
  (void)sent;
}

// As HandleKms: the same JSON protocol, authentication and error mapping (ForKmsApi's codes are
// those of every JSON-protocol service), for the service "organizations".
net::awaitable<void> RequestPipeline::HandleOrganizations(Context& ctx) {
  ctx.api = "organizations";
  ctx.resource = "/";
  std::string_view target = ctx.view.Header("x-amz-target");
  std::string_view operation = target.starts_with(organizations::kTargetPrefix)
                                   ? target.substr(organizations::kTargetPrefix.size())
                                   : "";
  ctx.operation = std::string(operation);
  ctx.table_operation = organizations::OrganizationsService::KnownOperation(operation);
  auto body = co_await ReadSmallBody(ctx, limits::kMaxOrganizationsRequestBytes);
  if (!body) {
    co_await RespondOrganizationsError(ctx, body.error());
    co_return;
  }
  ctx.view.body = *body;
  if (ctx.auditing) ctx.audit_params = JsonParametersForAudit(*body);
  auto auth = AuthenticateJsonCall(ctx, "organizations");
  if (!auth) {
    co_await RespondOrganizationsError(ctx, auth.error());
    co_return;
  }
  ctx.principal = auth->principal;
  if (auto fresh = CheckConfigurationFresh(config_, ErrorCode::kServiceUnavailable); !fresh) {
    co_await RespondOrganizationsError(ctx, fresh.error());
    co_return;
  }
  if (auto space = CheckFreeSpace(config_.free_space, operation, 0); !space) {
    co_await RespondOrganizationsError(ctx, space.error());
    co_return;
  }
  policy::RequestAttributes facts = FactsOf(ctx.exchange.request());
  facts.grants = auth->grants.get();
  auto result = co_await organizations_->Handle(
      organizations::OrganizationsCall{operation, *body, *auth->principal, facts});
  if (!result) {
    co_await RespondOrganizationsError(ctx, result.error());
    co_return;
  }
  if (config_.await_followers && WritesConfiguration(operation)) co_await config_.await_followers();
  http::ResponseHead response;
  response.fields.set("x-amzn-RequestId", ctx.request_id);
  response.fields.set(bhttp::field::content_type, organizations::kJsonContentType);
  auto sent = co_await ctx.exchange.Respond(std::move(response), std::move(*result));
  (void)sent;
}

Result<void> RequestPipeline::AuthorizeForS3(const Principal& principal, std::string_view action,
                                             std::string_view resource,
                                             const policy::RequestAttributes& facts) const {
  // SSE-KMS: a KMS key's use is decided by its key policy first, as KMS decides it (the
  // default policy hands the decision to IAM); S3 answers a refusal with its own AccessDenied.
  if (kms_ != nullptr && resource.starts_with("arn:aws:kms:")) {
    auto allowed = kms_->AuthorizeKeyUse(principal, action, resource, facts);
    if (!allowed && allowed.error().code == ErrorCode::kKmsAccessDenied) {
      return MakeError(ErrorCode::kAccessDenied, allowed.error().message);
    }
    if (!allowed && allowed.error().code == ErrorCode::kKmsNotFound) {
      return MakeError(ErrorCode::kS3KmsNotFound, allowed.error().message);
    }
    return allowed;
  }
  return authorizer_.Authorize(principal, action, resource, facts);
}

net::awaitable<void> RequestPipeline::HandleQuery(Context& ctx, query::QueryService* service) {
  const auto& head = ctx.exchange.request();
  ctx.api = std::string(service->service());
  ctx.resource = "/";
  // The Query API's payload is hashed into the signature: read it (bounded) before verifying.
  auto read = co_await ReadSmallBody(ctx, limits::kMaxFormBodyBytes);
  if (!read) {
    co_await RespondQueryError(ctx, service, read.error());
    co_return;
  }
  std::string body = std::move(*read);
  ctx.view.body = body;

  query::QueryCall call;
  call.request_id = ctx.request_id;
  call.facts = FactsOf(head);
  std::string_view target = head.target;
  size_t q = target.find('?');
  auto params = query::ParseForm(q == std::string_view::npos ? "" : target.substr(q + 1));
  auto form = query::ParseForm(head.method == bhttp::verb::post ? std::string_view(body) : "");
  if (!params || !form) {
    co_await RespondQueryError(ctx, service, MakeError(ErrorCode::kInvalidArgument, "Malformed request"));
    co_return;
  }
  call.params = std::move(*params);
  for (auto& [k, v] : *form) call.params[k] = std::move(v);
  call.action = call.Param("Action");
  ctx.operation = call.action;
  if (const policy::EndpointRule* rule = service->Find(call.action)) ctx.table_operation = rule->name;
  if (ctx.auditing) ctx.audit_params = QueryParametersForAudit(call.params);

  auto auth = verifier_.Verify(ctx.view);
  if (!auth) {
    co_await RespondQueryError(ctx, service, ForQueryApi(auth.error()));
    co_return;
  }
  // Signature Version 2 is S3's alone: IAM and STS take SigV4 (a v2 request names no service,
  // so only an unsigned-looking form post, routed here by its Action, can carry one).
  if (auth->version == sigv4::SignatureVersion::kV2) {
    co_await RespondQueryError(ctx, service,
                               MakeError(ErrorCode::kIncompleteSignature,
                                         "Signature Version 2 is supported for S3 only; sign IAM "
                                         "and STS requests with AWS4-HMAC-SHA256"));
    co_return;
  }
  ctx.principal = auth->principal;
  call.principal = auth->principal;
  call.auth = &*auth;
  call.facts.grants = auth->grants.get();
  if (call.action.empty()) {
    co_await RespondQueryError(ctx, service, MakeError(ErrorCode::kMissingAction, "Missing Action"));
    co_return;
  }
  if (auto fresh = CheckConfigurationFresh(config_, ErrorCode::kServiceUnavailable); !fresh) {
    co_await RespondQueryError(ctx, service, fresh.error());
    co_return;
  }
  auto endpoint = query::AuthorizeCall(*service, call, authorizer_);
  if (!endpoint) {
    co_await RespondQueryError(ctx, service, endpoint.error());
    co_return;
  }
  if (auto space = CheckFreeSpace(config_.free_space, call.action, 0, call.Param("PolicyName"));
      !space) {
    co_await RespondQueryError(ctx, service, space.error());
    co_return;
  }
  auto result = co_await service->Handle(**endpoint, call);
  if (!result) {
    co_await RespondQueryError(ctx, service, result.error());
    co_return;
  }
  if (config_.await_followers && WritesConfiguration(call.action)) co_await config_.await_followers();
  if (ctx.auditing) NoteQueryAnswer(ctx.operation, *result, ctx.response_elements, ctx.web_identity);
  http::ResponseHead response;
  response.fields.set("x-amzn-RequestId", ctx.request_id);
  response.fields.set(bhttp::field::content_type, "text/xml");
  auto sent = co_await ctx.exchange.Respond(std::move(response), std::move(*result));
  (void)sent;
}

// Every error answer below renders ForClient's form of the error: no server path, errno text or
// SQL in front of a client (the detail is logged with the request id).
net::awaitable<void> RequestPipeline::RespondS3Error(Context& ctx, const Error& raw_error) {
  const Error error = ForClient(raw_error, ctx.request_id);
  ctx.error_code = std::string(error.aws_code());
  ctx.answered_error = error.code;
  ctx.error_message = MessageOf(error);
  if (ctx.exchange.response_started()) {
    ctx.exchange.CloseAfterResponse();  // too late for an error document: end the connection
    co_return;
  }
  http::ResponseHead head;
  head.status = static_cast<bhttp::status>(error.http_status());
  head.fields.set("x-amz-request-id", ctx.request_id);
  head.fields.set("x-amz-id-2", ctx.request_id);
  head.fields.set(bhttp::field::server, "kura");
  // An error answers a browser's request as a success would: with the bucket's CORS grant, so
  // that the page can read it (AccessDenied, ExpiredToken, a POST policy's EntityTooLarge).
  AddCorsHeaders(ctx.exchange.request(), head);
  if (ctx.exchange.request().method == bhttp::verb::head) {
    // HEAD answers carry no body; the status and x-amz-error-code tell.
    head.fields.set("x-amz-error-code", error.aws_code());
    auto r = co_await ctx.exchange.WriteHead(std::move(head), 0);
    (void)r;
    co_return;
  }
  head.fields.set(bhttp::field::content_type, "application/xml");
  // AWS names the request's path in <Resource>; ctx.resource is the ARN authorization used.
  std::string_view target = ctx.exchange.request().target;
  auto r = co_await ctx.exchange.Respond(
      std::move(head), s3::RenderS3Error(error, target.substr(0, target.find('?')), ctx.request_id));
  (void)r;
}

net::awaitable<void> RequestPipeline::RespondKmsError(Context& ctx, const Error& raw_error) {
  const Error error = ForClient(raw_error, ctx.request_id);
  co_await RespondApiError(ctx, error, kms::kJsonContentType, kms::RenderKmsError(error));
}

net::awaitable<void> RequestPipeline::RespondOrganizationsError(Context& ctx, const Error& raw_error) {
  const Error error = ForClient(raw_error, ctx.request_id);
  co_await RespondApiError(ctx, error, organizations::kJsonContentType,
                           organizations::RenderOrganizationsError(error));
}

net::awaitable<void> RequestPipeline::RespondQueryError(Context& ctx, query::QueryService* service,
                                                        const Error& raw_error) {
  const Error error = ForClient(raw_error, ctx.request_id);
  co_await RespondApiError(ctx, error, "text/xml",
                           query::RenderQueryError(error, service->xml_namespace(), ctx.request_id));
}

net::awaitable<void> RequestPipeline::RespondApiError(Context& ctx, const Error& error,
                                                      std::string_view content_type,
                                                      std::string document) {
  ctx.error_code = std::string(error.aws_code());
  ctx.answered_error = error.code;
  ctx.error_message = MessageOf(error);
  if (ctx.exchange.response_started()) {
    ctx.exchange.CloseAfterResponse();
    co_return;
  }
  http::ResponseHead head;
  head.status = static_cast<bhttp::status>(error.http_status());
  head.fields.set("x-amzn-RequestId", ctx.request_id);
  head.fields.set(bhttp::field::content_type, content_type);
  auto r = co_await ctx.exchange.Respond(std::move(head), std::move(document));
  (void)r;
}

}  // namespace kura::api
