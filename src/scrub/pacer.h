// Keeps a reader within a byte rate (`kura scrub --rate`, `kura serve --scrub-rate`): Take(n),
// called before reading n bytes, sleeps until the bytes taken so far fit rate × time. Time not
// used is not saved up beyond one second's worth, so a scrub that idled (e.g. on many small
// inline bodies) does not then burst at full disk speed. Time and sleeping are injected: tests
// run on a FakeClock, and the background scrubber's sleep wakes early when the server stops.
// Thread-safety: one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "common/clock.h"

namespace kura::scrub {

// Sleeps for the duration; false when woken to stop.
using Sleeper = std::function<bool(std::chrono::nanoseconds)>;

class Pacer {
 public:
  // bytes_per_second 0: no limit (Take never sleeps).
  Pacer(uint64_t bytes_per_second, const Clock& clock, Sleeper sleep)
      : rate_(bytes_per_second), clock_(clock), sleep_(std::move(sleep)) {}

  // False when a sleep was cut short to stop.
  bool Take(uint64_t bytes);

 private:
  uint64_t rate_;
  const Clock& clock_;
  Sleeper sleep_;
  TimePoint free_at_{};  // when the bytes taken so far are paid for
};

}  // namespace kura::scrub
