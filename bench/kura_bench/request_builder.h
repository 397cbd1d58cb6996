// Turns a RequestSpec (what an operation wants: method, decoded path, query, extra headers, body)
// into the bytes on the wire, signed with this thread's Signer for S3 or STS. The payload mode
// decides x-amz-content-sha256: the body's hex SHA-256 (precomputed per size), UNSIGNED-PAYLOAD,
// or aws-chunked streaming with chunk signatures. Thread-safety: one per worker thread.
#pragma once

#include <cstdint>
#include <string>

#include "kura_bench/connection.h"
#include "kura_bench/payload.h"
#include "kura_bench/signer.h"

namespace kura::bench {

enum class PayloadMode { kSigned, kUnsigned, kChunked };

struct RequestSpec {
  enum class Body { kNone, kBytes, kPattern };
  enum class Service { kS3, kSts };

  std::string method;
  std::string path;  // decoded: "/bucket/key"
  QueryParams query;
  Headers headers;   // beyond Host, X-Amz-* and Content-Length
  Service service = Service::kS3;
  Body body = Body::kNone;
  std::string bytes;            // kBytes
  uint64_t pattern_offset = 0;  // kPattern: a range of the pattern (digests prepared)
  uint64_t pattern_length = 0;
};

class RequestBuilder {
 public:
  RequestBuilder(const Credentials& credentials, const std::string& region,
                 const std::string& host_header, PayloadMode mode, uint64_t chunk_size,
                 const PayloadCatalog& catalog);

  // The signed request; an aws-chunked body borrows this builder's signer. Without an access key
  // (--anonymous) the request carries no Authorization header: an anonymous caller.
  OutgoingRequest Build(const RequestSpec& spec, TimePoint now);

 private:
  std::string PayloadHash(const RequestSpec& spec) const;
  static std::string RequestTarget(const RequestSpec& spec);

  bool anonymous_;
  Signer s3_;
  Signer sts_;
  std::string host_header_;
  PayloadMode mode_;
  uint64_t chunk_size_;
  const PayloadCatalog& catalog_;
};

}  // namespace kura::bench
