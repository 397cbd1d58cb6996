// Request bodies as streams of contiguous pieces, so the connection can write a GiB body from the
// pattern block without copying it: in-memory bytes (XML, forms), a pattern range, and the
// aws-chunked framing of a pattern range with chained chunk signatures
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html). Thread-safety: one
// owner; an AwsChunkedBody borrows its thread's Signer and the read-only digests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kura_bench/payload.h"
#include "kura_bench/signer.h"

namespace kura::bench {

class BodyStream {
 public:
  virtual ~BodyStream() = default;
  virtual uint64_t content_length() const = 0;
  // The next contiguous piece to send; empty when the body is done. Stays valid until Advance.
  virtual std::string_view Peek() = 0;
  virtual void Advance(size_t n) = 0;
};

std::unique_ptr<BodyStream> MakeBytesBody(std::string bytes);
std::unique_ptr<BodyStream> MakePatternBody(uint64_t offset, uint64_t length);

// The wire length of `length` decoded bytes framed in chunks of chunk_size (final 0 chunk
// included): each chunk is "<hex size>;chunk-signature=<64 hex>\r\n<data>\r\n".
uint64_t AwsChunkedLength(uint64_t length, uint64_t chunk_size);

// Frames the pattern range; `digests` must hold chunk_sha256_hex for chunk_size.
std::unique_ptr<BodyStream> MakeAwsChunkedBody(uint64_t offset, const PayloadDigests& digests,
                                               uint64_t chunk_size, Signer& signer,
                                               Signature seed);

}  // namespace kura::bench
