// The scrubber inside `kura serve` (--scrub-interval, --scrub-rate): a thread of its own, at
// the lowest CPU and I/O priority, that runs a full pass (scrub/scrubber.h) every interval,
// paced to its byte rate so the request path never loses more disk bandwidth than that. It
// shares DATA/scrub/ with `kura scrub`: it resumes a pass either left unfinished, schedules the
// next pass from the last one's end, and skips its turn while `kura scrub` holds the lock. The
// first pass of a data dir that has none on record starts min(interval, 1 h) after start-up.
// Each problem is logged as one warning line naming bucket, key and version (or upload and
// part) and the blob; each pass ends with one summary line. It reads metadata on a read-only
// SQLite connection of its own, so it never waits on (or delays) the store's writer.
// Thread-safety: Start and Stop from one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "common/error.h"
#include "scrub/scrub_state.h"
#include "scrub/scrub_summary.h"

namespace kura::scrub {

struct BackgroundConfig {
  std::filesystem::path data_dir{};
  std::chrono::seconds interval{};  // > 0
  uint64_t bytes_per_second = 0;
};

class BackgroundScrubber {
 public:
  BackgroundScrubber(BackgroundConfig config, const Clock& clock)
      : config_(std::move(config)), clock_(clock) {}
  ~BackgroundScrubber() { Stop(); }
  BackgroundScrubber(const BackgroundScrubber&) = delete;
  BackgroundScrubber& operator=(const BackgroundScrubber&) = delete;

  void Start();
  // Ends a pass in progress after its current object (its cursor saved) and joins the thread.
  void Stop();

 private:
  void Loop();
  void RunPass();
  Result<Summary> Scrub(const StateFiles& state);
  // When the next pass is due, from the state files.
  TimePoint NextDue(TimePoint started);
  // Sleeps up to `duration`; false when stopping.
  bool SleepFor(std::chrono::nanoseconds duration);

  BackgroundConfig config_;
  const Clock& clock_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::atomic<bool> stop_{false};
};

}  // namespace kura::scrub
