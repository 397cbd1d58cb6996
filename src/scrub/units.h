// The values of the scrub flags: a byte rate ("16MiB", "512KiB", "1G", "1048576") and an
// interval ("30d", "12h", "15m", "90s", "3600"). K/M/G/T are binary multiples, with or without
// "iB" ("16M" = "16MiB" = 16 × 2^20); a bare number is bytes or seconds.
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "common/error.h"

namespace kura::scrub {

Result<uint64_t> ParseByteRate(std::string_view text);              // kInvalidArgument
Result<std::chrono::seconds> ParseInterval(std::string_view text);  // kInvalidArgument

}  // namespace kura::scrub
