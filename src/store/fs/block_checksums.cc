#include "store/fs/block_checksums.h"

#include <isa-l/crc.h>

#include <algorithm>

namespace kura::store {
namespace {

void PutLe(std::string& out, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

uint64_t GetLe(std::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = bytes.size(); i-- > 0;) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

Error Corrupt(std::string what) { return MakeError(ErrorCode::kCorruptData, std::move(what)); }

}  // namespace

uint32_t Crc32c(uint32_t crc, std::string_view bytes) {
  // ISA-L's crc32_iscsi neither pre- nor post-inverts and takes an int length.
  uint32_t state = ~crc;
  while (!bytes.empty()) {
    size_t n = std::min<size_t>(bytes.size(), size_t{1} << 30);
    state = crc32_iscsi(reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data())),
                        static_cast<int>(n), state);
    bytes.remove_prefix(n);
  }
  return ~state;
}

uint64_t BlockCount(uint64_t data_size) { return (data_size + kBlockBytes - 1) / kBlockBytes; }

uint64_t FooterBytes(uint64_t data_size) { return 4 * BlockCount(data_size) + kTrailerBytes; }

std::string EncodeFooter(std::span<const uint32_t> crcs, uint64_t data_size) {
  std::string out;
  out.reserve(4 * crcs.size() + kTrailerBytes);
  for (uint32_t crc : crcs) PutLe(out, crc, 4);
  uint32_t table_crc = Crc32c(0, out);
  out.append(kFooterMagic);
  PutLe(out, kBlockBytes, 4);
  PutLe(out, data_size, 8);
  PutLe(out, table_crc, 4);
  return out;
}

Result<Trailer> ParseTrailer(std::string_view trailer) {
  if (trailer.size() != kTrailerBytes) return Corrupt("checksum trailer has a wrong size");
  if (trailer.substr(0, 8) != kFooterMagic) return Corrupt("checksum footer has no magic");
  if (GetLe(trailer.substr(8, 4)) != kBlockBytes) {
    return Corrupt("checksum footer names another block size");
  }
  return Trailer{.data_size = GetLe(trailer.substr(12, 8)),
                 .table_crc = static_cast<uint32_t>(GetLe(trailer.substr(20, 4)))};
}

Result<std::vector<uint32_t>> ParseTable(std::string_view table, const Trailer& trailer) {
  uint64_t blocks = BlockCount(trailer.data_size);
  if (table.size() != 4 * blocks) return Corrupt("checksum table has a wrong size");
  if (Crc32c(0, table) != trailer.table_crc) return Corrupt("checksum table fails its own CRC");
  std::vector<uint32_t> crcs(blocks);
  for (uint64_t i = 0; i < blocks; ++i) {
    crcs[i] = static_cast<uint32_t>(GetLe(table.substr(4 * i, 4)));
  }
  return crcs;
}

Result<std::vector<uint32_t>> ParseFooter(std::string_view bytes, uint64_t data_size) {
  if (bytes.size() != FooterBytes(data_size)) return Corrupt("checksum footer has a wrong size");
  auto trailer = ParseTrailer(bytes.substr(bytes.size() - kTrailerBytes));
  if (!trailer) return trailer.error();
  if (trailer->data_size != data_size) return Corrupt("checksum footer names another data size");
  return ParseTable(bytes.substr(0, bytes.size() - kTrailerBytes), *trailer);
}

BlobLayout ClassifyBlobFile(uint64_t file_size, uint64_t data_size) {
  if (file_size == data_size) return BlobLayout::kLegacy;
  if (file_size == data_size + FooterBytes(data_size)) return BlobLayout::kVerified;
  return BlobLayout::kCorrupt;
}

Result<void> VerifyBlocks(std::span<const uint32_t> table, uint64_t first_block,
                          std::string_view data) {
  uint64_t block = first_block;
  while (!data.empty()) {
    if (block >= table.size()) return Corrupt("read past the checksum table");
    std::string_view piece = data.substr(0, kBlockBytes);
    if (Crc32c(0, piece) != table[block]) {
      return Corrupt("block " + std::to_string(block) + " fails its CRC32C");
    }
    data.remove_prefix(piece.size());
    ++block;
  }
  return Ok();
}

void BlockCrcAccumulator::Update(std::string_view bytes) {
  size_ += bytes.size();
  while (!bytes.empty()) {
    size_t n = std::min<uint64_t>(bytes.size(), kBlockBytes - in_current_);
    current_ = Crc32c(current_, bytes.substr(0, n));
    in_current_ += n;
    bytes.remove_prefix(n);
    if (in_current_ == kBlockBytes) {
      crcs_.push_back(current_);
      current_ = 0;
      in_current_ = 0;
    }
  }
}

std::string BlockCrcAccumulator::Footer() {
  if (in_current_ > 0) crcs_.push_back(current_);
  current_ = 0;
  in_current_ = 0;
  return EncodeFooter(crcs_, size_);
}

}  // namespace kura::store
