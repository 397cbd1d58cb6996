// CORS: the bucket configuration API (Get/Put/DeleteBucketCors, stored in the bucket record), the
// browser preflight (OPTIONS, unauthenticated) answered from it, and the Access-Control-* headers
// added to actual requests that carry an allowed Origin.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html
// Thread-safety: pure functions over thread-safe services.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "s3/s3_call.h"

namespace kura::s3 {

struct CorsRule {
  std::string id;
  std::vector<std::string> allowed_origins;  // each with at most one '*'
  std::vector<std::string> allowed_methods;  // GET PUT HEAD POST DELETE
  std::vector<std::string> allowed_headers;  // each with at most one '*', case-insensitive
  std::vector<std::string> expose_headers;
  std::optional<int> max_age_seconds;
};

// Errors: kMalformedXML (no rule, a rule without origin or method, > 100 rules, a MaxAgeSeconds
// that is not an integer), kInvalidRequest
// (an unsupported method, more than one '*' in an origin or header).
Result<std::vector<CorsRule>> ParseCorsConfiguration(std::string_view xml);
std::string RenderCorsConfiguration(const std::vector<CorsRule>& rules);

// The first rule allowing origin, method and every one of the request headers, or null.
const CorsRule* MatchCorsRule(const std::vector<CorsRule>& rules, std::string_view origin,
                              std::string_view method, const std::vector<std::string>& headers);

net::awaitable<Result<void>> GetBucketCors(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PutBucketCors(S3Env& env, S3Call& call);
net::awaitable<Result<void>> DeleteBucketCors(S3Env& env, S3Call& call);
net::awaitable<Result<void>> PreflightRequest(S3Env& env, S3Call& call);

// The Access-Control-* headers of an answer to a `method` request from `origin` for `bucket`:
// those of the bucket's first CORS rule that allows them, none without such a rule. They go on
// every answer, errors too, as S3 sends them: a page can read why kura refused its upload.
std::vector<std::pair<std::string, std::string>> CorsHeadersFor(S3Env& env, std::string_view bucket,
                                                                std::string_view origin,
                                                                std::string_view method);

// For a request with an Origin header: fills call.cors_headers when the bucket allows it.
void AddCorsHeaders(S3Env& env, S3Call& call);

}  // namespace kura::s3
