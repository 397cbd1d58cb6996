// Injected time. Logic that depends on "now" (clock skew, presigned expiry, token expiry, key
// rotation) takes a Clock& so tests use FakeClock. Thread-safety: SystemClock is stateless;
// FakeClock is atomic.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace kura {

using TimePoint = std::chrono::system_clock::time_point;
using Seconds = std::chrono::seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_ns_(ToNs(start)) {}
  TimePoint Now() const override {
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::nanoseconds(now_ns_.load())));
  }
  void Advance(std::chrono::nanoseconds by) { now_ns_ += by.count(); }
  void Set(TimePoint to) { now_ns_ = ToNs(to); }

 private:
  static int64_t ToNs(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  }
  std::atomic<int64_t> now_ns_;
};

// Seconds since the Unix epoch.
inline int64_t UnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline TimePoint FromUnixSeconds(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

}  // namespace kura
