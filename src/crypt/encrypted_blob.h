// The at-rest format of an encrypted blob (docs/formats/encrypted-blob.md): a header — magic,
// format version, segment size, the blob's data key in sealed form (opaque here: sealed by a
// KeyProvider or under an SSE-C customer key) — then the plaintext in fixed segments, each
// AES-256-GCM (NIST SP 800-38D) under the blob's own data key with a 16-byte tag.
//
// Nonce of segment i: 4 zero bytes || i (u64 big-endian): unique under one data key, and every
// blob has a fresh random data key. Associated data of segment i: SHA-256(header) || i (u64
// big-endian) || final flag (1 byte): a segment moved, dropped, taken from another blob or
// the header changed fails its tag. A blob of P plaintext bytes has max(1, ceil(P / segment))
// segments (an empty blob has one empty final segment, so its emptiness is authenticated too).
//
// Thread-safety: free functions are pure; a SegmentCipher is used by one thread at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/secret.h"

struct evp_cipher_ctx_st;

namespace kura::crypt {

inline constexpr uint32_t kSegmentBytes = 64 * 1024;  // what new blobs use
inline constexpr size_t kTagBytes = 16;
inline constexpr size_t kDataKeyBytes = 32;  // AES-256
// A sealed data key larger than this is refused: a KMS ciphertext blob is at most 6 KiB in
// AWS, but kura's own sealed forms are under 256 bytes; 4 KiB bounds what a reader allocates.
inline constexpr size_t kMaxSealedKeyBytes = 4096;
// magic (4) + version (1) + log2 segment size (1) + reserved (2) + sealed key length (2).
inline constexpr size_t kFixedHeaderBytes = 10;
inline constexpr size_t kMaxHeaderBytes = kFixedHeaderBytes + kMaxSealedKeyBytes;
// The segment sizes a reader accepts: 4 KiB to 1 MiB (writers use kSegmentBytes).
inline constexpr int kMinSegmentLog2 = 12;
inline constexpr int kMaxSegmentLog2 = 20;

struct BlobHeader {
  uint32_t segment_bytes = kSegmentBytes;
  std::string sealed_key;
};

// The header's bytes. kInvalidArgument when the sealed key is empty or over kMaxSealedKeyBytes
// or the segment size is not a power of two in range.
Result<std::string> EncodeHeader(const BlobHeader& header);

struct ParsedHeader {
  BlobHeader header;
  size_t length = 0;  // bytes of `bytes` the header takes
};
// The header at the start of `bytes` (which may go on past it). kInternalError (never quoting
// the bytes) when it is not a header of a format version this build reads, or is cut short.
Result<ParsedHeader> ParseHeader(std::string_view bytes);

// How many segments, and how many stored bytes, a blob of `plaintext_size` bytes has.
uint64_t SegmentCount(uint64_t plaintext_size, uint32_t segment_bytes);
uint64_t EncryptedSize(uint64_t plaintext_size, size_t header_length, uint32_t segment_bytes);

// AES-256-GCM over one blob's segments with one reused OpenSSL context (AES-NI; no allocation
// per segment). Seal streams a segment: Begin, Update any number of times (ciphertext is as
// long as the plaintext), Finish for the tag. Open decrypts a whole segment in one call.
class SegmentCipher {
 public:
  // `data_key` is kDataKeyBytes long; `header` is the blob's encoded header.
  SegmentCipher(const Secret& data_key, std::string_view header);
  ~SegmentCipher();
  SegmentCipher(const SegmentCipher&) = delete;
  SegmentCipher& operator=(const SegmentCipher&) = delete;

  Result<void> Begin(uint64_t index, bool final);
  Result<void> Update(std::string_view plaintext, char* ciphertext_out);
  Result<std::array<char, kTagBytes>> Finish();

  // Decrypts segment `index` (`sealed` = ciphertext || tag) into `out` (sealed.size() - kTagBytes
  // bytes). kInternalError when the tag does not verify: `out` then holds garbage, never to be
  // served.
  Result<void> Open(uint64_t index, bool final, std::string_view sealed, char* out);

 private:
  Result<void> Start(uint64_t index, bool final, bool encrypt);

  std::string key_;
  std::array<unsigned char, 32> header_hash_{};
  evp_cipher_ctx_st* ctx_;
};

}  // namespace kura::crypt
