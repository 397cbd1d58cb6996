// Verifies one request body as it streams through, in bounded memory, doing each per-byte
// computation once: MD5 (always, for the ETag), SHA-256 when the payload hash was signed
// (x-amz-content-sha256: <hex>), the flexible checksum when one is named (x-amz-checksum-*,
// x-amz-trailer or x-amz-sdk-checksum-algorithm), Content-MD5, and aws-chunked decoding with
// chunk and trailer signatures (see chunked_decoder.h).
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html,
// .../sigv4-streaming.html, .../sigv4-streaming-trailers.html and
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
// Nothing is trusted before Finish succeeds: the caller stores decoded bytes provisionally and
// commits only then. Thread-safety: one instance per body, one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "common/error.h"
#include "sigv4/checksums.h"
#include "sigv4/chunked_decoder.h"
#include "sigv4/request_view.h"
#include "sigv4/verifier.h"

namespace kura::sigv4 {

struct PayloadSummary {
  std::string md5;            // raw 16 bytes of the decoded payload (the ETag)
  uint64_t decoded_length = 0;
  std::optional<ChecksumAlgorithm> checksum_algorithm;
  std::string checksum_base64;  // computed; verified against the client's value if it sent one
  std::vector<std::pair<std::string, std::string>> trailers;  // names lower-case
};

class PayloadVerifier {
 public:
  // Reads x-amz-decoded-content-length, x-amz-trailer, content-md5, x-amz-checksum-*,
  // x-amz-sdk-checksum-algorithm from `request`; the payload mode and signing context from
  // `auth` (copied). Errors: kInvalidDigest (malformed Content-MD5), kInvalidRequest
  // (conflicting or malformed checksum headers), kMissingContentLength (streaming without
  // x-amz-decoded-content-length), kInvalidArgument.
  static Result<PayloadVerifier> Make(const AuthResult& auth, const RequestView& request);

  PayloadVerifier(PayloadVerifier&&) noexcept;
  PayloadVerifier& operator=(PayloadVerifier&&) noexcept;
  ~PayloadVerifier();

  // Feeds raw body bytes as they arrive. Decoded payload slices (pointing into `input`, valid
  // until the caller reuses it) are appended to `out`. Errors are sticky.
  Result<void> Feed(std::string_view input, std::vector<std::string_view>& out);

  // Whether Feed hands its input back whole as the one decoded piece (no aws-chunked framing),
  // so a caller may receive the body straight into its destination.
  bool passes_input_through() const;

  // At the end of the HTTP body: the final chunk was seen, lengths and hashes match.
  // Errors: kIncompleteBody, kXAmzContentSHA256Mismatch, kBadDigest, kMalformedTrailerError.
  Result<PayloadSummary> Finish();

 private:
  struct State;
  explicit PayloadVerifier(std::unique_ptr<State> state);
  Result<void> CheckChecksum(PayloadSummary& summary);
  std::unique_ptr<State> state_;
};

}  // namespace kura::sigv4
