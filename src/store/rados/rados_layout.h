// How a blob is laid out in a RADOS pool (docs/architecture.md, "Blobs in Ceph RADOS"):
//
//   object "<id>.<n>"   stripe n (decimal, from 0) of blob <id> (32 random hex characters, never
//                       derived from the key): bytes [n·kStripeBytes, (n+1)·kStripeBytes) of
//                       the blob; the last stripe may be short; an empty blob is one empty stripe
//   xattr  "kura.crc"   on each stripe: the checksum footer of that stripe's bytes, in the
//                       filesystem store's encoding (store/fs/block_checksums.h: CRC32C per
//                       64 KiB block ‖ trailer naming the stripe's length)
//   xattr  "kura.size"  on stripe 0: the blob's stored length in decimal, set when it is sealed
//
// No header object: from the stored length a reader knows every object name up front. The
// metadata's size is usually that length, but for an encrypted blob it is the plaintext's (the
// stored ciphertext is longer), so readers and Delete go by "kura.size". A stripe is written in
// kPieceBytes pieces (the first creates it exclusively; the last also sets its "kura.crc"), so its
// checksums exist only once all of its bytes were written, and "kura.size" only once the blob is
// sealed.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/fs/block_checksums.h"

namespace kura::store::rados {

inline constexpr uint64_t kStripeBytes = 4 * 1024 * 1024;
// The unit of a write: a writer holds at most kPiecesInFlight of them in flight plus one filling.
inline constexpr uint64_t kPieceBytes = 1024 * 1024;
inline constexpr size_t kPiecesInFlight = 4;
inline constexpr const char* kCrcXattr = "kura.crc";
inline constexpr const char* kSizeXattr = "kura.size";
inline constexpr size_t kBlobIdHexChars = 32;

static_assert(kStripeBytes % kPieceBytes == 0, "pieces never straddle two stripes");
static_assert(kStripeBytes % kBlockBytes == 0, "checksum blocks never straddle two stripes");

// Stripes of a blob of `size` bytes (an empty blob still has one, so that it exists).
uint64_t StripeCount(uint64_t size);
// Bytes of stripe `index` of a blob of `size` bytes.
uint64_t StripeLength(uint64_t size, uint64_t index);
std::string StripeName(std::string_view id, uint64_t index);
// "kura.size"'s value: the length in decimal; ParseStoredSize is its inverse (nothing if
// malformed).
std::string EncodeStoredSize(uint64_t size);
std::optional<uint64_t> ParseStoredSize(std::string_view text);

struct StripeAddress {
  std::string id;
  uint64_t index = 0;
};
// The blob id and stripe index of an object name, or nothing if kura did not make that name
// (a shared pool may hold other objects: they are never touched).
std::optional<StripeAddress> ParseStripeName(std::string_view name);

}  // namespace kura::store::rados
