// The authorization step of the pipeline: may this principal perform this action on this
// resource? The pipeline asks it once per request (and S3 handlers again per extra resource).
// The IAM-backed implementation evaluates identity, resource, boundary and session policies.
// Thread-safety: implementations allow concurrent calls.
#pragma once

#include <string_view>

#include "common/error.h"
#include "common/principal.h"

namespace kura::policy {

// Facts about the request the policy engine's condition keys read.
struct RequestAttributes {
  std::string_view source_ip;
  bool secure_transport = false;
  std::string_view user_agent;
  std::string_view referer;
  std::string_view bucket;  // for the bucket policy
  std::string_view version_id;  // the request's ?versionId= (whose ACL an object ACL check reads)
  std::string_view prefix;  // s3:prefix
  std::string_view delimiter;
  std::string_view max_keys;
  std::string_view content_sha256;
  std::string_view auth_type;  // REST-HEADER | REST-QUERY-STRING | POST
  // What the credential resolver resolved for the request's signer (sigv4::AuthResult::grants):
  // used when authorizing that principal, ignored for any other.
  const ResolvedGrants* grants = nullptr;
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // Ok, or kAccessDenied with AWS's message.
  virtual Result<void> Authorize(const Principal& principal, std::string_view action,
                                 std::string_view resource, const RequestAttributes& facts) const = 0;
};
}  // namespace kura::policy
