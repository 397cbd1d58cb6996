#include "sigv4/checksums.h"

#include <isa-l/crc.h>

#include <algorithm>
#include <climits>

#include "common/encoding.h"
#include "common/text.h"
#include "sigv4/request_view.h"

namespace kura::sigv4 {
namespace {

struct AlgorithmInfo {
  ChecksumAlgorithm algorithm;
  std::string_view name;
  std::string_view header;
  size_t digest_bytes;
};

constexpr AlgorithmInfo kAlgorithms[] = {
    {ChecksumAlgorithm::kCrc32, "CRC32", "x-amz-checksum-crc32", 4},
    {ChecksumAlgorithm::kCrc32c, "CRC32C", "x-amz-checksum-crc32c", 4},
    {ChecksumAlgorithm::kCrc64Nvme, "CRC64NVME", "x-amz-checksum-crc64nvme", 8},
    {ChecksumAlgorithm::kSha1, "SHA1", "x-amz-checksum-sha1", 20},
    {ChecksumAlgorithm::kSha256, "SHA256", "x-amz-checksum-sha256", 32},
};

const AlgorithmInfo& InfoOf(ChecksumAlgorithm algorithm) {
  return kAlgorithms[static_cast<size_t>(algorithm)];
}

std::string BigEndian(uint64_t value, size_t bytes) {
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) out[bytes - 1 - i] = static_cast<char>(value >> (8 * i));
  return out;
}

uint64_t FromBigEndian(std::string_view raw) {
  uint64_t value = 0;
  for (char c : raw) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

// ISA-L's CRC32C takes an int length; feed it in bounded pieces.
uint32_t Crc32c(uint32_t crc, std::string_view bytes) {
  uint32_t state = ~crc;
  while (!bytes.empty()) {
    size_t n = std::min<size_t>(bytes.size(), 1U << 30);
    state = crc32_iscsi(reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data())),
                        static_cast<int>(n), state);
    bytes.remove_prefix(n);
  }
  return ~state;
}

uint32_t Crc32(uint32_t crc, std::string_view bytes) {
  return crc32_gzip_refl(crc, reinterpret_cast<const unsigned char*>(bytes.data()),
                         bytes.size());
}

// Multiplication modulo the CRC polynomial, in the reflected bit order (as zlib's multmodp).
uint64_t MultModP(uint64_t a, uint64_t b, uint64_t poly, int width) {
  uint64_t m = uint64_t{1} << (width - 1);
  uint64_t p = 0;
  while (m != 0) {
    if (a & m) p ^= b;
    m >>= 1;
    b = (b & 1) ? (b >> 1) ^ poly : b >> 1;
  }
  return p;
}

// x^(8 * bytes) modulo the polynomial.
uint64_t XPowBytes(uint64_t bytes, uint64_t poly, int width) {
  uint64_t result = uint64_t{1} << (width - 1);   // x^0
  uint64_t base = uint64_t{1} << (width - 1 - 8);  // x^8
  while (bytes != 0) {
    if (bytes & 1) result = MultModP(result, base, poly, width);
    base = MultModP(base, base, poly, width);
    bytes >>= 1;
  }
  return result;
}

}  // namespace

std::string_view ChecksumName(ChecksumAlgorithm algorithm) { return InfoOf(algorithm).name; }
std::string_view ChecksumHeaderName(ChecksumAlgorithm algorithm) {
  return InfoOf(algorithm).header;
}
size_t ChecksumDigestBytes(ChecksumAlgorithm algorithm) { return InfoOf(algorithm).digest_bytes; }
bool IsCrc(ChecksumAlgorithm algorithm) {
  return algorithm == ChecksumAlgorithm::kCrc32 || algorithm == ChecksumAlgorithm::kCrc32c ||
         algorithm == ChecksumAlgorithm::kCrc64Nvme;
}

std::optional<ChecksumAlgorithm> ChecksumFromName(std::string_view name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (EqualsIgnoreAsciiCase(info.name, name)) return info.algorithm;
  }
  return std::nullopt;
}

std::optional<ChecksumAlgorithm> ChecksumFromHeaderName(std::string_view header_name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (EqualsIgnoreAsciiCase(info.header, header_name)) return info.algorithm;
  }
  return std::nullopt;
}

Checksummer::Checksummer(ChecksumAlgorithm algorithm) : algorithm_(algorithm) {
  if (algorithm == ChecksumAlgorithm::kSha1) {
    hasher_ = std::make_unique<Hasher>(HashAlgorithm::kSha1);
  } else if (algorithm == ChecksumAlgorithm::kSha256) {
    hasher_ = std::make_unique<Hasher>(HashAlgorithm::kSha256);
  }
}

void Checksummer::Update(std::string_view bytes) {
  switch (algorithm_) {
    case ChecksumAlgorithm::kCrc32: crc_ = Crc32(static_cast<uint32_t>(crc_), bytes); break;
    case ChecksumAlgorithm::kCrc32c: crc_ = Crc32c(static_cast<uint32_t>(crc_), bytes); break;
    case ChecksumAlgorithm::kCrc64Nvme: crc_ = Crc64Nvme(crc_, bytes); break;
    case ChecksumAlgorithm::kSha1:
    case ChecksumAlgorithm::kSha256: hasher_->Update(bytes); break;
  }
}

std::string Checksummer::FinishRaw() {
  if (hasher_) return hasher_->Finish();
  std::string raw = BigEndian(crc_, ChecksumDigestBytes(algorithm_));
  crc_ = 0;
  return raw;
}

std::string Checksummer::FinishBase64() { return Base64Encode(FinishRaw()); }

std::string ChecksumRaw(ChecksumAlgorithm algorithm, std::string_view bytes) {
  Checksummer checksummer(algorithm);
  checksummer.Update(bytes);
  return checksummer.FinishRaw();
}

std::string ChecksumBase64(ChecksumAlgorithm algorithm, std::string_view bytes) {
  return Base64Encode(ChecksumRaw(algorithm, bytes));
}

std::string CompositeChecksum(ChecksumAlgorithm algorithm,
                              std::span<const std::string> raw_part_checksums) {
  Checksummer checksummer(algorithm);
  for (const std::string& raw : raw_part_checksums) checksummer.Update(raw);
  return checksummer.FinishBase64() + "-" + std::to_string(raw_part_checksums.size());
}

std::optional<std::string> CombineCrc(ChecksumAlgorithm algorithm,
                                      std::span<const std::pair<std::string, uint64_t>> parts) {
  uint64_t poly;
  int width;
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32: poly = 0xedb88320; width = 32; break;
    case ChecksumAlgorithm::kCrc32c: poly = 0x82f63b78; width = 32; break;
    case ChecksumAlgorithm::kCrc64Nvme: poly = 0x9a6c9329ac4bc9b5ULL; width = 64; break;
    default: return std::nullopt;
  }
  // With init == xorout (all ones) for all three: crc(A||B) = crc(A) * x^(8|B|) + crc(B).
  uint64_t combined = 0;  // the CRC of the empty string
  for (const auto& [raw, length] : parts) {
    if (raw.size() != ChecksumDigestBytes(algorithm)) return std::nullopt;
    combined = MultModP(XPowBytes(length, poly, width), combined, poly, width) ^
               FromBigEndian(raw);
  }
  return BigEndian(combined, ChecksumDigestBytes(algorithm));
}

}  // namespace kura::sigv4
