// Process-wide counts of what reads found about stored bytes' checksums (#16): reads refused
// because bytes failed their checksum, and reads of legacy bytes stored before checksums (served
// unverified). The metrics endpoint exports them; tests read them. CorruptRead() is how a store
// reports damage: it counts, logs one line naming the blob, and makes the client-facing error.
// Thread-safety: thread-safe (relaxed atomics).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/error.h"

namespace kura::store {

struct ReadIntegrityCounts {
  uint64_t corrupt_reads = 0;     // reads answered kCorruptData
  uint64_t unverified_reads = 0;  // legacy blobs or inline bodies opened without a checksum
};
ReadIntegrityCounts ReadIntegrity();

// Counts a corrupt read, logs "integrity: corrupt blob=<blob> <detail>" and returns kCorruptData
// with the default (generic) message: the details stay in the log, not in the response.
Error CorruptRead(std::string_view blob, std::string_view detail);
// An I/O failure reading stored bytes (EIO, a short read): logged with the blob and errno text;
// the client gets kInternalError without any server path.
Error ReadFailure(std::string_view blob, std::string_view detail);
void CountUnverifiedRead();

}  // namespace kura::store
