// What an S3 operation handler gets: the long-lived services it may use (S3Env) and the one
// request it serves (S3Call). Handlers are free functions, one file per operation family, that
// either write a response and return Ok, or return an Error for the pipeline to render as S3's
// <Error> (when no response was started). A handler reads the body only through the verified
// body the pipeline built after checking the signature, and answers through a response sink:
// it never sees the HTTP exchange, so it cannot read unverified bytes. Thread-safety: an S3Call is used by one coroutine;
// S3Env's services are thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/principal.h"
#include "common/random.h"
#include "common/text.h"
#include "common/error.h"
#include "common/http_head.h"
#include "common/response_sink.h"
#include "kms/key_provider.h"
#include "s3/accounts.h"
#include "s3/operation.h"
#include "sigv4/credential_resolver.h"
#include "sigv4/verified_body.h"
#include "store/blob_store.h"
#include "store/metadata_store.h"

namespace kura::s3 {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;

class BucketPolicyCache;
class LifecycleRulesCache;

struct S3Env {
  store::MetadataStore& metadata;
  store::BlobStore& blobs;
  const Clock& clock;
  net::thread_pool& blocking;  // fsync and unlink run here, never on an I/O thread
  std::string region;
  std::string account_id;  // the management account (owner of buckets made before accounts)
  Random& random;  // upload ids
  // Resolves the access key of browser POST uploads, whose signature the handler verifies
  // itself (the same chain the pipeline's Verifier asks).
  const sigv4::CredentialResolver& credentials;
  // Compiled bucket policies, kept current by the handlers that change them.
  BucketPolicyCache& policies;
  // Compiled lifecycle rules (x-amz-expiration), kept current like `policies`.
  LifecycleRulesCache& lifecycle;
  // The management account's display name (ACL Owner and Grantee DisplayName) and e-mail address (what an
  // ACL grant by emailAddress resolves to; "" = none resolves).
  std::string account_name = "kura";
  std::string account_email{};
  // Whether browser POST forms signed with Signature Version 2 are accepted (--sigv2).
  bool sigv2 = true;
  // Data keys for server-side encryption (SSE-S3 under the master key ring, SSE-KMS under KMS
  // keys); null when kura runs without a key service (then encrypted writes are refused).
  kms::KeyProvider* keys = nullptr;
  // Whether SSE-C is accepted over plain HTTP (--sse-c-over-http; AWS refuses it, as kura does
  // by default: the key would cross the network in the clear).
  bool sse_c_over_http = false;
  // Every account (#15): bucket owners' DisplayNames, ACL grantees of other accounts, closed
  // accounts. Null: only `account_id` exists (account_name and account_email describe it). Borrowed.
  const AccountDirectory* accounts = nullptr;
  // Where the handlers run metadata reads when the store's reads wait on the network
  // (PostgreSQL: a round trip each), one thread per read the store runs at once; null when they
  // are local (SQLite), which then run inline (s3/metadata_reads.h, issue #20). Borrowed.
  net::thread_pool* metadata_reads = nullptr;
};

// Checks one more (action, resource) for operations that touch several resources
// (DeleteObjects per key, CopyObject's source).
using AuthorizeFn = std::function<Result<void>(std::string_view action, std::string_view resource)>;
// The same for another principal: a browser POST upload acts as the signer of its form
// (`grants`: what resolving the signer's credential established, see sigv4::ResolvedCredential).
using AuthorizeAsFn = std::function<Result<void>(const Principal& principal, const ResolvedGrants* grants,
                                                 std::string_view action, std::string_view resource)>;

struct S3Call {
  const S3Request& request;
  const RequestHead& head;                // method, target, header fields
  std::span<const HeaderField> headers;   // head's fields in wire order (the honoured-header check)
  sigv4::VerifiedBody& body;
  ResponseSink& response;
  std::string request_id;
  AuthorizeFn authorize;
  AuthorizeAsFn authorize_as{};  // null: POST uploads signed by a key are refused
  // Who signed the request (the pipeline's, borrowed); null: treated as the management account.
  const Principal* principal = nullptr;
  // Set by Dispatch before the handler runs: Access-Control-* headers for a request with an
  // Origin that the bucket's CORS configuration allows. NewHead adds them to every answer.
  std::vector<std::pair<std::string, std::string>> cors_headers{};
  // The code of an S3 <Error> the handler answered itself (RespondWithError), for the audit log,
  // which otherwise learns codes from the errors handlers return; "" when none.
  std::string answered_error{};
  std::string answered_error_message{};  // its <Message>

  // The value of the first header named `lower_name` (any case), "" if none. A scan of the
  // wire-order list: cheaper than the fields' ordered index for a dozen headers.
  std::string_view Header(std::string_view lower_name) const {
    for (const HeaderField& field : headers) {
      if (EqualsIgnoreAsciiCase(field.name, lower_name)) return field.value;
    }
    return {};
  }
  bool HasHeader(std::string_view lower_name) const {
    for (const HeaderField& field : headers) {
      if (EqualsIgnoreAsciiCase(field.name, lower_name)) return true;
    }
    return false;
  }
};

// Runs the handler of call.request.operation (an exhaustive switch over S3Operation).
net::awaitable<Result<void>> Dispatch(S3Env& env, S3Call& call);

}  // namespace kura::s3
