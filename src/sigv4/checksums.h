// S3's flexible checksums (x-amz-checksum-*): CRC32, CRC32C, CRC64NVME, SHA1, SHA256, computed
// streaming, rendered as AWS returns them (base64 of the big-endian digest), plus the multipart
// combinations. Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
// CRC32 (IEEE, as zlib) and CRC32C (Castagnoli) come from ISA-L; CRC-64/NVME (reflected
// polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones) is table-driven here because the
// ISA-L on this platform predates crc64_rocksoft.
// Thread-safety: a Checksummer is used by one thread at a time; functions are pure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "common/crypto.h"

namespace kura::sigv4 {

enum class ChecksumAlgorithm { kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };

std::string_view ChecksumName(ChecksumAlgorithm algorithm);        // "CRC32", "CRC64NVME"
std::string_view ChecksumHeaderName(ChecksumAlgorithm algorithm);  // "x-amz-checksum-crc32"
size_t ChecksumDigestBytes(ChecksumAlgorithm algorithm);           // 4, 4, 8, 20, 32
bool IsCrc(ChecksumAlgorithm algorithm);
// "CRC32" / "crc32" (x-amz-sdk-checksum-algorithm, x-amz-checksum-algorithm).
std::optional<ChecksumAlgorithm> ChecksumFromName(std::string_view name);
// "x-amz-checksum-crc32" in any case; nullopt for other names (e.g. x-amz-checksum-type).
std::optional<ChecksumAlgorithm> ChecksumFromHeaderName(std::string_view header_name);

class Checksummer {
 public:
  explicit Checksummer(ChecksumAlgorithm algorithm);
  ChecksumAlgorithm algorithm() const { return algorithm_; }
  void Update(std::string_view bytes);
  // The raw big-endian digest; the state resets.
  std::string FinishRaw();
  std::string FinishBase64();

 private:
  ChecksumAlgorithm algorithm_;
  uint64_t crc_ = 0;
  std::unique_ptr<Hasher> hasher_;  // SHA1 / SHA256 only
};

// One-call forms.
std::string ChecksumRaw(ChecksumAlgorithm algorithm, std::string_view bytes);
std::string ChecksumBase64(ChecksumAlgorithm algorithm, std::string_view bytes);

// CRC-64/NVME over bytes, continuing from `crc` (0 to start; the value is final each time).
uint64_t Crc64Nvme(uint64_t crc, std::string_view bytes);

// S3's COMPOSITE multipart checksum: base64(checksum(raw1 || raw2 || ...)) + "-N".
std::string CompositeChecksum(ChecksumAlgorithm algorithm,
                              std::span<const std::string> raw_part_checksums);

// S3's FULL_OBJECT multipart checksum for the CRCs: the CRC of the whole object from each
// part's raw CRC and length. nullopt for SHA algorithms or a raw value of the wrong size.
std::optional<std::string> CombineCrc(ChecksumAlgorithm algorithm,
                                      std::span<const std::pair<std::string, uint64_t>> parts);

}  // namespace kura::sigv4
