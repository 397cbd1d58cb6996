// An S3 request parsed once into a typed operation (Garage's "Endpoint"): which operation, on
// which bucket and key, with its query parameters decoded. Built from the raw request-target,
// method, Host and a few headers; path-style (/bucket/key) and virtual-hosted-style
// (bucket.DOMAIN/key) both work. The operation knows its IAM action and resource ARN.
// Thread-safety: plain values; ParseS3Request is pure.
#pragma once

#include <ostream>  // boost::core::string_view needs it complete

#include <boost/beast/http/verb.hpp>

#include <map>
#include <string>
#include <string_view>

#include "common/error.h"
#include "policy/endpoint.h"

namespace kura::s3 {

enum class S3Operation {
#define KURA_S3_OP(name, action, resource, access) k##name,
#include "s3/operations.def"
#undef KURA_S3_OP
};

// The operation's row of s3/operations.def.
const policy::EndpointRule& EndpointOf(S3Operation op);
inline std::string_view OperationName(S3Operation op) { return EndpointOf(op).name; }
inline std::string_view IamAction(S3Operation op) { return EndpointOf(op).iam_action; }
inline policy::ResourceKind ResourceKindOf(S3Operation op) { return EndpointOf(op).resource; }
// True for the operations whose handler authorizes every object it acts on, the pipeline nothing
// up front (DeleteObjects: each key as s3:DeleteObject on BUCKET/KEY).
inline bool AuthorizesEachObject(S3Operation op) { return ResourceKindOf(op) == policy::ResourceKind::kNone; }
// True for the operations the pipeline must neither authenticate nor authorize (CORS preflight,
// browser POST uploads): their handlers decide who may do what.
inline bool AuthenticatesItself(S3Operation op) {
  return EndpointOf(op).access == policy::Access::kAuthenticatesItself;
}

struct S3Request {
  S3Operation operation = S3Operation::kUnsupported;
  std::string bucket;
  std::string key;  // decoded; may hold any bytes the client sent
  std::map<std::string, std::string> query;  // decoded names and values; valueless names map to ""
  std::string unsupported_what;  // for kUnsupported: what was asked

  bool HasQuery(std::string_view name) const { return query.count(std::string(name)) > 0; }
  std::string Query(std::string_view name) const;
  // arn:aws:s3:::bucket or arn:aws:s3:::bucket/key or "*"-style service resource.
  std::string ResourceArn() const;
};

// The IAM action a request is authorized for: the operation's, or its version action when the
// request names a versionId (GetObject?versionId= needs s3:GetObjectVersion).
std::string_view IamActionOf(const S3Request& request);

struct RouteInput {
  boost::beast::http::verb method;
  std::string_view target;    // raw request-target
  std::string_view host;      // Host header
  std::string_view virtual_host_domain;  // "" disables virtual-hosted style
  bool has_copy_source = false;          // x-amz-copy-source present
  bool is_form_upload = false;           // Content-Type: multipart/form-data
};

// Errors: kInvalidURI (bad percent-encoding), kMethodNotAllowed.
Result<S3Request> ParseS3Request(const RouteInput& input);

// The first query parameter of `request` that selects an operation but that a Signature
// Version 2 signature does not sign ("" if none): such a request must be signed with SigV4.
std::string_view SubresourceUnsignedBySigV2(const S3Request& request);

}  // namespace kura::s3
