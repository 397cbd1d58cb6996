// Per-request metrics: requests by API, operation and status class, latency histograms per
// operation, bytes in and out per API, and authentication/authorization failures by reason.
//
// Cardinality is bounded whatever clients send: labels come only from the fixed sets below and
// from operation names the caller takes from the endpoint tables (s3/operations.def, IAM's and
// STS's kEndpoints, KMS's and Organizations' kOperations) — never from a bucket, key or other
// user string. A request whose operation no table knows is recorded as "other", so requests to
// unknown buckets or operations add no series; and the table of (api, operation) series holds at
// most `capacity` entries, beyond which an operation is counted as its API's "other" too.
//
// The hot path (Record) takes no lock and allocates nothing: a hash of the name, a probe of a
// fixed table, and four relaxed atomic adds. A series is claimed once, the first time its
// operation is seen (one compare-and-swap); only series that counted something are written.
// Thread-safety: every member may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "metrics/histogram.h"
#include "metrics/text_format.h"

namespace kura::metrics {

enum class Api : uint8_t { kS3, kIam, kSts, kKms, kOrganizations, kConsole, kUnknown };
inline constexpr size_t kApiCount = 7;
std::string_view ApiLabel(Api api);
// "s3", "iam", "sts", "kms", "organizations", "console"; anything else kUnknown.
Api ApiFromName(std::string_view name);

// Why a request was refused before its handler ran, or by a policy.
enum class AuthFailure : uint8_t {
  kBadSignature,     // SignatureDoesNotMatch (also a signature scoped to another service)
  kExpiredToken,     // ExpiredToken: a session past its expiry
  kInvalidToken,     // InvalidToken / InvalidClientTokenId: a token kura cannot open
  kUnknownKey,       // InvalidAccessKeyId / UnrecognizedClient
  kClockSkew,        // RequestTimeTooSkewed, an expired presigned URL
  kMalformed,        // a malformed Authorization header or presigned query
  kMissingAuth,      // MissingAuthenticationToken: unsigned where a signature is required
  kDenied,           // AccessDenied: the policies said no
};
inline constexpr size_t kAuthFailureCount = 8;
std::string_view AuthFailureLabel(AuthFailure reason);

class RequestMetrics {
 public:
  // Room for the (api, operation) series of every endpoint table, twice over (open addressing).
  static constexpr size_t kDefaultCapacity = 1024;
  static constexpr size_t kMaxOperationChars = 63;

  explicit RequestMetrics(size_t capacity = kDefaultCapacity);
  ~RequestMetrics();
  RequestMetrics(const RequestMetrics&) = delete;
  RequestMetrics& operator=(const RequestMetrics&) = delete;

  // One finished request. `operation`: its name from an endpoint table, or "" when it named none
  // (then "other"). `status`: the HTTP status answered (0: none; counted as 5xx).
  void Record(Api api, std::string_view operation, int status, std::chrono::nanoseconds took,
              uint64_t bytes_in, uint64_t bytes_out);
  void RecordAuthFailure(Api api, AuthFailure reason);

  // The families kura_requests_total, kura_request_duration_seconds,
  // kura_request_body_bytes_total and kura_auth_failures_total.
  void Collect(TextWriter& out) const;

  // The number of (api, operation) series claimed so far (tests).
  size_t series() const;

 private:
  struct Series;
  Series& Find(Api api, std::string_view operation);

  size_t capacity_;  // a power of two
  std::unique_ptr<Series[]> table_;
  std::unique_ptr<Series[]> other_;  // one per API: "other"
  std::atomic<size_t> claimed_{0};
  std::array<std::array<std::atomic<uint64_t>, 2>, kApiCount> bytes_{};  // [api][in, out]
  std::array<std::array<std::atomic<uint64_t>, kAuthFailureCount>, kApiCount> auth_failures_{};
};

}  // namespace kura::metrics
