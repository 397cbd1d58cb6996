#include "store/read_integrity.h"

#include <atomic>
#include <string>

#include "common/logging.h"

namespace kura::store {
namespace {

std::atomic<uint64_t> corrupt_reads{0};
std::atomic<uint64_t> unverified_reads{0};

}  // namespace

ReadIntegrityCounts ReadIntegrity() {
  return {.corrupt_reads = corrupt_reads.load(std::memory_order_relaxed),
          .unverified_reads = unverified_reads.load(std::memory_order_relaxed)};
}

Error CorruptRead(std::string_view blob, std::string_view detail) {
  corrupt_reads.fetch_add(1, std::memory_order_relaxed);
  LogLine(LogLevel::kError,
          "integrity: corrupt blob=" + std::string(blob) + " detail=\"" + std::string(detail) + "\"");
  return MakeError(ErrorCode::kCorruptData);
}

Error ReadFailure(std::string_view blob, std::string_view detail) {
  LogLine(LogLevel::kError,
          "integrity: read failed blob=" + std::string(blob) + " detail=\"" + std::string(detail) + "\"");
  return MakeError(ErrorCode::kInternalError);
}

void CountUnverifiedRead() { unverified_reads.fetch_add(1, std::memory_order_relaxed); }

}  // namespace kura::store
