// Request ids (x-amz-request-id, x-amzn-RequestId): 16 upper-case hex characters, unique per
// process for 2^64 requests. They need uniqueness, not secrecy, so instead of drawing 8 bytes
// from the CSPRNG per request (a locked DRBG call) each id is a counter passed through a
// bijective 64-bit mix keyed by a random seed: distinct counters give distinct ids, and the ids
// of one process look unrelated. Thread-safety: Next is thread-safe (one atomic increment).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "common/random.h"

namespace kura::api {

class RequestIds {
 public:
  explicit RequestIds(Random& random) : key_(random.NextU64()), next_(random.NextU64()) {}

  std::string Next();

 private:
  const uint64_t key_;
  std::atomic<uint64_t> next_;
};

}  // namespace kura::api
