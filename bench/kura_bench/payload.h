// Object content for the load: deterministic, incompressible bytes (a 1 MiB block of
// pseudo-random data repeated), streamed from the block so a GiB object never sits in memory.
// Every object of a given size has the same content, so its digests (SHA-256 for signed
// payloads, MD5 to check an ETag, CRC32C to check a GET body, per-chunk SHA-256 for aws-chunked)
// are computed once per (offset, length) before the run. Thread-safety: PatternSlice is pure;
// a PayloadCatalog is filled before the workers start and only read afterwards.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kura::bench {

inline constexpr uint64_t kPatternBlockSize = uint64_t{1} << 20;

// The longest contiguous piece of the pattern starting at `offset`, at most max_len bytes.
std::string_view PatternSlice(uint64_t offset, uint64_t max_len);

// CRC32C (Castagnoli) continued over `bytes` from `crc` (ISA-L's crc32_iscsi convention).
uint32_t Crc32c(uint32_t crc, std::string_view bytes);

struct PayloadDigests {
  uint64_t length = 0;
  std::string sha256_hex;
  std::string md5_hex;
  uint32_t crc32c = 0;
  std::vector<std::string> chunk_sha256_hex;  // per aws-chunked chunk (empty unless asked)
};

struct DigestNeeds {
  bool sha256 = false;
  bool md5 = false;
  uint64_t chunk_size = 0;  // > 0: per-chunk SHA-256 for aws-chunked
};

PayloadDigests ComputeDigests(uint64_t offset, uint64_t length, const DigestNeeds& needs);

class PayloadCatalog {
 public:
  explicit PayloadCatalog(DigestNeeds needs) : needs_(needs) {}
  // Computes (once) the digests of the pattern range; call before the run.
  void Prepare(uint64_t offset, uint64_t length);
  // The digests of a prepared range; nullptr if it was not prepared.
  const PayloadDigests* Find(uint64_t offset, uint64_t length) const;
  const DigestNeeds& needs() const { return needs_; }

 private:
  DigestNeeds needs_;
  std::map<std::pair<uint64_t, uint64_t>, PayloadDigests> entries_;
};

// Writes `length` pattern bytes to `out` (to give a reference server, e.g. nginx, the file).
bool WritePattern(uint64_t length, std::FILE* out);

}  // namespace kura::bench
