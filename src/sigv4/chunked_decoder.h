// Incremental decoder of S3's aws-chunked request bodies, in the three forms:
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD          hex-size;chunk-signature=SIG\r\nDATA\r\n ...
//                                               0;chunk-signature=SIG\r\n\r\n
//   STREAMING-UNSIGNED-PAYLOAD-TRAILER          hex-size\r\nDATA\r\n ... 0\r\n
//                                               name:value\r\n ... \r\n
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER  signed chunks, then trailers and
//                                               x-amz-trailer-signature:SIG\r\n\r\n
// Chunk signatures chain from the request's seed signature: each signs
// "AWS4-HMAC-SHA256-PAYLOAD\n<amz-date>\n<scope>\n<previous-signature>\n<sha256("")>\n
// <sha256(chunk data)>"; the trailer signature signs "AWS4-HMAC-SHA256-TRAILER\n<amz-date>\n
// <scope>\n<last chunk signature>\n<sha256(canonical trailers)>".
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
// Framing may be split across Feed calls at any byte; memory stays bounded (a chunk header
// line, the trailers). Thread-safety: one decoder per request body, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "common/error.h"
#include "sigv4/verifier.h"

namespace kura::sigv4 {

inline constexpr size_t kMaxChunkHeaderBytes = 4096;
inline constexpr size_t kMaxTrailerBytes = 16 * 1024;
inline constexpr uint64_t kMinSignedChunkBytes = 8192;  // all but the last data chunk

class ChunkedDecoder {
 public:
  // `signing` is required (non-null, outliving the decoder) when chunks are signed.
  ChunkedDecoder(PayloadMode mode, const SigningContext* signing);

  // Decodes what it can of `input`; each piece of chunk data (a slice of `input`) is appended
  // to `out`. Errors: kSignatureDoesNotMatch (chunk or trailer signature), kInvalidRequest
  // (framing), kInvalidChunkSizeError, kMalformedTrailerError. After an error, stay failed.
  Result<void> Feed(std::string_view input, std::vector<std::string_view>& out);

  // Whether the final (zero-size) chunk and the terminating empty line have been read.
  bool done() const { return state_ == State::kDone; }
  // Trailing headers as received (names lower-cased), without x-amz-trailer-signature.
  const std::vector<std::pair<std::string, std::string>>& trailers() const { return trailers_; }

 private:
  enum class State { kHeader, kData, kDataCrlf, kTrailer, kDone };

  Result<void> Step(std::string_view& input, std::vector<std::string_view>& out);
  // Appends to line_ up to and including '\n'; true when a whole line is buffered.
  Result<bool> ReadLine(std::string_view& input, size_t limit);
  Result<void> OnChunkHeader(std::string_view line);
  Result<void> OnChunkEnd();
  Result<void> OnTrailerLine(std::string_view line);
  Result<void> CheckTrailerSignature();

  PayloadMode mode_;
  const SigningContext* signing_;
  bool signed_chunks_;
  State state_ = State::kHeader;
  std::string line_;
  size_t trailer_bytes_ = 0;
  uint64_t remaining_ = 0;        // data bytes left in the current chunk
  uint64_t chunk_size_ = 0;       // size of the current chunk
  uint64_t previous_size_ = 0;    // size of the previous data chunk
  uint64_t chunk_count_ = 0;
  std::string claimed_signature_;
  std::string previous_signature_;
  std::string trailer_signature_;
  Hasher chunk_hash_{HashAlgorithm::kSha256};
  std::vector<std::pair<std::string, std::string>> trailers_;
  std::optional<Error> failed_;
};

}  // namespace kura::sigv4
