#include "kura_bench/payload.h"

#include <isa-l/crc.h>

#include <algorithm>

#include "common/crypto.h"
#include "common/encoding.h"

namespace kura::bench {
namespace {

// xorshift64* with a fixed seed: same bytes on every run and machine.
std::string MakeBlock() {
  std::string block(kPatternBlockSize, '\0');
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (size_t i = 0; i < block.size(); i += 8) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    uint64_t word = state * 0x2545F4914F6CDD1Dull;
    for (size_t b = 0; b < 8; ++b) block[i + b] = static_cast<char>(word >> (8 * b));
  }
  return block;
}

const std::string& Block() {
  static const std::string block = MakeBlock();
  return block;
}

// Calls fn(piece) for every contiguous piece of the range, in order.
template <typename Fn>
void ForEachPiece(uint64_t offset, uint64_t length, Fn&& fn) {
  while (length > 0) {
    std::string_view piece = PatternSlice(offset, length);
    fn(piece);
    offset += piece.size();
    length -= piece.size();
  }
}

}  // namespace

std::string_view PatternSlice(uint64_t offset, uint64_t max_len) {
  uint64_t start = offset % kPatternBlockSize;
  uint64_t n = std::min(max_len, kPatternBlockSize - start);
  return std::string_view(Block()).substr(start, n);
}

uint32_t Crc32c(uint32_t crc, std::string_view bytes) {
  auto* data = reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data()));
  return crc32_iscsi(data, static_cast<int>(bytes.size()), crc);
}

PayloadDigests ComputeDigests(uint64_t offset, uint64_t length, const DigestNeeds& needs) {
  PayloadDigests out;
  out.length = length;
  Hasher sha256(HashAlgorithm::kSha256);
  Hasher md5(HashAlgorithm::kMd5);
  uint32_t crc = 0;
  ForEachPiece(offset, length, [&](std::string_view piece) {
    if (needs.sha256) sha256.Update(piece);
    if (needs.md5) md5.Update(piece);
    crc = Crc32c(crc, piece);
  });
  out.crc32c = crc;
  if (needs.sha256) out.sha256_hex = HexLower(sha256.Finish());
  if (needs.md5) out.md5_hex = HexLower(md5.Finish());
  for (uint64_t done = 0; needs.chunk_size > 0 && done < length; done += needs.chunk_size) {
    uint64_t n = std::min(needs.chunk_size, length - done);
    Hasher chunk(HashAlgorithm::kSha256);
    ForEachPiece(offset + done, n, [&](std::string_view piece) { chunk.Update(piece); });
    out.chunk_sha256_hex.push_back(HexLower(chunk.Finish()));
  }
  return out;
}

void PayloadCatalog::Prepare(uint64_t offset, uint64_t length) {
  auto key = std::make_pair(offset % kPatternBlockSize, length);
  if (entries_.contains(key)) return;
  entries_.emplace(key, ComputeDigests(offset, length, needs_));
}

const PayloadDigests* PayloadCatalog::Find(uint64_t offset, uint64_t length) const {
  auto it = entries_.find(std::make_pair(offset % kPatternBlockSize, length));
  return it == entries_.end() ? nullptr : &it->second;
}

bool WritePattern(uint64_t length, std::FILE* out) {
  bool ok = true;
  ForEachPiece(0, length, [&](std::string_view piece) {
    ok = ok && std::fwrite(piece.data(), 1, piece.size(), out) == piece.size();
  });
  return ok;
}

}  // namespace kura::bench
