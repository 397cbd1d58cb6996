// The on-disk integrity format of a file blob (docs/formats/data-dir.md, "Blob checksums"):
//
//   file = data ‖ table ‖ trailer
//   table   = CRC32C of each kBlockBytes block of the data (the last block may be short),
//             little-endian u32 each; an empty blob has an empty table
//   trailer = "KURACRC1" ‖ u32 LE block size ‖ u64 LE data size ‖ u32 LE CRC32C of the table
//             (kTrailerBytes = 24)
//
// CRC32C is the Castagnoli CRC that S3's x-amz-checksum-crc32c uses (ISA-L crc32_iscsi, with
// the usual pre- and post-inversion). Per-block CRCs let a ranged read check only the blocks it
// touches; the footer sits after the data so that a writer appends it when the data is done
// (no second pass, no seek back) and the data keeps offset 0 (a reader's offsets are the blob's).
//
// Classification by file size (the BlobRef's size is the data size): size == data size is a
// LEGACY blob written before checksums (served unverified); size == data + FooterBytes(data)
// with a valid trailer is verified; anything else is corrupt. Truncation can therefore never
// pass as a valid blob.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace kura::store {

inline constexpr uint64_t kBlockBytes = 64 * 1024;
inline constexpr size_t kTrailerBytes = 24;
inline constexpr std::string_view kFooterMagic = "KURACRC1";

// CRC32C of `bytes` continued from `crc` (0 to start): Crc32c(Crc32c(0, a), b) == Crc32c(0, a‖b).
uint32_t Crc32c(uint32_t crc, std::string_view bytes);
inline uint32_t BlockCrc(std::span<const char> block) {
  return Crc32c(0, std::string_view(block.data(), block.size()));
}

// Number of blocks (table entries) for a blob of `data_size` bytes.
uint64_t BlockCount(uint64_t data_size);
// Bytes of table + trailer that follow `data_size` bytes of data.
uint64_t FooterBytes(uint64_t data_size);

// The footer (table ‖ trailer) for `crcs`, one per block of a `data_size`-byte blob.
std::string EncodeFooter(std::span<const uint32_t> crcs, uint64_t data_size);
// Parses a footer read from the end of a verified blob of `data_size` bytes (`bytes` must be
// exactly FooterBytes(data_size) long); the per-block CRC table, or kCorruptData if the magic,
// block size, data size or table CRC disagree.
Result<std::vector<uint32_t>> ParseFooter(std::string_view bytes, uint64_t data_size);

// The trailer's fields. A reader that does not know the data size (an encrypted blob's
// ciphertext length) reads the trailer first: ParseTrailer checks the magic and block size,
// then the caller checks the file size against FooterBytes(data_size) and parses the table.
struct Trailer {
  uint64_t data_size = 0;
  uint32_t table_crc = 0;
};
Result<Trailer> ParseTrailer(std::string_view trailer);  // exactly kTrailerBytes
// The table (4 × BlockCount(trailer.data_size) bytes) checked against the trailer's CRC.
Result<std::vector<uint32_t>> ParseTable(std::string_view table, const Trailer& trailer);

enum class BlobLayout {
  kLegacy,    // no footer: written before checksums existed
  kVerified,  // data ‖ footer (the trailer still has to parse)
  kCorrupt,   // any other file size
};
// Classifies a blob file by its size, given the data size the metadata records.
BlobLayout ClassifyBlobFile(uint64_t file_size, uint64_t data_size);

// Checks `data`, which starts at block `first_block` and covers whole blocks (the last block of
// the blob may be short), against `table`. kCorruptData names the first bad block.
Result<void> VerifyBlocks(std::span<const uint32_t> table, uint64_t first_block,
                          std::string_view data);

// Streaming helper for writers: feed the data in any pieces, then Footer().
class BlockCrcAccumulator {
 public:
  void Update(std::string_view bytes);
  uint64_t size() const { return size_; }
  // The footer for everything fed so far. Call once, at the end.
  std::string Footer();

 private:
  std::vector<uint32_t> crcs_;
  uint32_t current_ = 0;        // CRC of the bytes of the block being filled
  uint64_t in_current_ = 0;     // bytes of the block being filled
  uint64_t size_ = 0;
};

}  // namespace kura::store
