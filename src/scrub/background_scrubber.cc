#include "scrub/background_scrubber.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "common/logging.h"
#include "scrub/scrub_state.h"
#include "scrub/scrubber.h"
#include "store/sqlite/sqlite_version_scan.h"

namespace kura::scrub {
namespace {

constexpr auto kFirstPassDelayCap = std::chrono::hours(1);
// How long a turn waits before it looks again when `kura scrub` holds the lock or a pass failed,
// and the longest sleep between looks at the state files (a pass `kura scrub` finished moves the
// next one).
constexpr auto kRetry = std::chrono::minutes(10);
constexpr auto kLongestSleep = std::chrono::minutes(10);

// nice 19 and the idle I/O class for this thread only (Linux: both are per thread).
void LowerOwnPriority() {
  pid_t tid = static_cast<pid_t>(::syscall(SYS_gettid));
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(tid), 19);
  constexpr int kIoprioWhoProcess = 1, kIoprioClassIdle = 3, kIoprioClassShift = 13;
  (void)::syscall(SYS_ioprio_set, kIoprioWhoProcess, tid, kIoprioClassIdle << kIoprioClassShift);
}

// Keys are user data: quoted, with control bytes, quotes and backslashes escaped, so one
// problem is one log line whatever the key holds.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

void LogProblem(const Problem& p) {
  std::string where = p.upload_id.empty() ? " versionId=" + Quoted(p.version_id)
                                          : " uploadId=" + Quoted(p.upload_id) +
                                                " partNumber=" + std::to_string(p.part_number);
  LogLine(LogLevel::kWarning, "scrub: " + std::string(ProblemKindName(p.kind)) +
                                  " bucket=" + Quoted(p.bucket) + " key=" + Quoted(p.key) + where +
                                  " blob=" + Quoted(p.blob_id) + " reason=" + Quoted(p.reason));
}

void LogSummary(const Summary& s) {
  LogLine(s.clean() ? LogLevel::kInfo : LogLevel::kWarning,
          "scrub: pass " + std::string(s.complete ? "finished" : "paused") +
              ": objects=" + std::to_string(s.objects) + " bytes=" + std::to_string(s.bytes) +
              " verified=" + std::to_string(s.verified) + " legacy_unverified=" +
              std::to_string(s.legacy_unverified) + " corrupt=" + std::to_string(s.corrupt_count) +
              " missing=" + std::to_string(s.missing_count) + " size_mismatch=" +
              std::to_string(s.size_mismatch_count) + " orphans=" + std::to_string(s.orphan_count));
}

}  // namespace

void BackgroundScrubber::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void BackgroundScrubber::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool BackgroundScrubber::SleepFor(std::chrono::nanoseconds duration) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, duration, [this] { return stop_.load(); });
}

TimePoint BackgroundScrubber::NextDue(TimePoint started) {
  StateFiles state(config_.data_dir / "scrub");
  auto cursor = state.LoadCursor();
  if (cursor && *cursor) return clock_.Now();  // an unfinished pass: go on with it
  auto last = state.LoadLastPass();
  if (last && *last && (*last)->finished > 0) {
    return FromUnixSeconds((*last)->finished) + config_.interval;
  }
  return started + std::min<std::chrono::seconds>(config_.interval, kFirstPassDelayCap);
}

void BackgroundScrubber::Loop() {
  LowerOwnPriority();
  TimePoint started = clock_.Now();
  while (!stop_) {
    TimePoint now = clock_.Now();
    TimePoint due = NextDue(started);
    if (due > now) {
      auto wait = std::min<std::chrono::nanoseconds>(due - now, kLongestSleep);
      if (!SleepFor(wait)) return;
      continue;
    }
    RunPass();
  }
}

Result<Summary> BackgroundScrubber::Scrub(const StateFiles& state) {
  auto scan = store::sqlite::OpenVersionScan(config_.data_dir / "meta.db");
  if (!scan) return scan.error();
  ScrubHooks hooks{.problem = LogProblem,
                   .orphan =
                       [](const Orphan& o) {
                         LogLine(LogLevel::kWarning, "scrub: orphan blob=" + o.blob_id +
                                                         " size=" + std::to_string(o.size));
                       },
                   .stop = &stop_};
  Scrubber scrubber(
      **scan, state, clock_, [this](auto d) { return SleepFor(d); },
      {.blobs_dir = config_.data_dir / "blobs", .bytes_per_second = config_.bytes_per_second},
      std::move(hooks));
  return scrubber.Run(/*restart=*/false);
}

void BackgroundScrubber::RunPass() {
  StateFiles state(config_.data_dir / "scrub");
  auto lock = state.Lock();
  if (!lock) {
    LogLine(LogLevel::kInfo, "scrub: background pass skipped: " + lock.error().message);
    SleepFor(kRetry);
    return;
  }
  Result<Summary> summary = Scrub(state);
  if (!summary) {
    LogLine(LogLevel::kError, "scrub: background pass failed: " + summary.error().message);
    SleepFor(kRetry);
    return;
  }
  LogSummary(*summary);
}

}  // namespace kura::scrub
