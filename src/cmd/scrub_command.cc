#include "cmd/scrub_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include "common/clock.h"
#include "scrub/scrub_state.h"
#include "scrub/scrubber.h"
#include "scrub/units.h"
#include "store/sqlite/sqlite_version_scan.h"

namespace kura::cmd {
namespace {
namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: kura scrub [--data-dir DIR] [--json] [--rate BYTES_PER_SEC] [--restart]\n\n"
    "Verifies every stored object: each version's blob file exists, has the size its record\n"
    "says and matches its CRC32C block checksums; inline bodies match theirs; parts of multipart\n"
    "uploads in progress likewise; and lists orphan blob files (referenced by nothing, older\n"
    "than 1 hour; reported only, the server's start-up sweep removes them). Safe while kura\n"
    "serve runs on the same data dir. An interrupted scrub (Ctrl-C) resumes where it stopped.\n\n"
    "flags:\n"
    "  --data-dir DIR   the data dir (default $KURA_DATA_DIR, else ./kura-data)\n"
    "  --json           print the summary as JSON on stdout\n"
    "  --rate RATE      read at most RATE bytes per second (e.g. 64MiB; default: no limit)\n"
    "  --restart        start a new pass instead of resuming an unfinished one\n\n"
    "exit status: 0 clean, 1 problems found, 2 could not run or interrupted\n";

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop = true; }

struct Options {
  fs::path data_dir = "./kura-data";
  bool json = false;
  bool restart = false;
  uint64_t rate = 0;
};

int Usage(const std::string& problem) {
  std::fprintf(stderr, "kura scrub: %s\n\n%s", problem.c_str(), kUsage);
  return 2;
}

// nullopt after printing usage; *exit holds the status to return.
std::optional<Options> ParseOptions(const std::vector<std::string>& args, int* exit) {
  Options options;
  if (const char* env = std::getenv("KURA_DATA_DIR"); env != nullptr && *env) {
    options.data_dir = env;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      *exit = 0;
      return std::nullopt;
    }
    if (arg == "--json")
      options.json = true;
    else if (arg == "--restart")
      options.restart = true;
    else if ((arg == "--data-dir" || arg == "--rate") && i + 1 < args.size()) {
      const std::string& value = args[++i];
      if (arg == "--data-dir") {
        options.data_dir = value;
        continue;
      }
      auto rate = scrub::ParseByteRate(value);
      if (!rate) {
        *exit = Usage(rate.error().message);
        return std::nullopt;
      }
      options.rate = *rate;
    } else {
      *exit = Usage("bad argument '" + arg + "'");
      return std::nullopt;
    }
  }
  return options;
}

std::string Bytes(uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(n);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

// A one-line progress bar on stderr, redrawn at most 5 times a second.
class ProgressBar {
 public:
  void Draw(const scrub::Progress& p) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    double seconds = std::chrono::duration<double>(now - start_).count();
    uint64_t done_bytes = p.bytes - first_bytes_.value_or(p.bytes);
    if (!first_bytes_) first_bytes_ = p.bytes;
    double fraction =
        p.objects_total == 0
            ? 1.0
            : std::min(1.0, static_cast<double>(p.objects) / static_cast<double>(p.objects_total));
    std::string bar(30, ' ');
    for (size_t i = 0; i < static_cast<size_t>(fraction * 30); ++i) bar[i] = '#';
    std::fprintf(stderr, "\r[%s] %llu/%llu objects, %s/%s, %s/s   ", bar.c_str(),
                 static_cast<unsigned long long>(p.objects),
                 static_cast<unsigned long long>(p.objects_total), Bytes(p.bytes).c_str(),
                 Bytes(p.bytes_total).c_str(),
                 Bytes(seconds > 0 ? static_cast<uint64_t>(done_bytes / seconds) : 0).c_str());
    drawn_ = true;
  }
  void Clear() {
    if (drawn_) std::fputs("\r\033[K", stderr);
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
  std::optional<uint64_t> first_bytes_;
  bool drawn_ = false;
};

void PrintProblem(const scrub::Problem& p) {
  std::string where = p.upload_id.empty()
                          ? "version " + p.version_id
                          : "upload " + p.upload_id + " part " + std::to_string(p.part_number);
  std::printf("  %-13s %s/%s (%s)%s%s: %s\n", std::string(scrub::ProblemKindName(p.kind)).c_str(),
              p.bucket.c_str(), p.key.c_str(), where.c_str(), p.blob_id.empty() ? "" : " blob ",
              p.blob_id.c_str(), p.reason.c_str());
}

void PrintSummary(const scrub::Summary& s) {
  std::printf(
      "scrub %s in %.1f s: %llu objects (%s): %llu verified, %llu legacy (unverifiable), "
      "%llu delete markers; %llu walked by this run\n",
      s.complete ? "finished" : "interrupted", s.duration_seconds,
      static_cast<unsigned long long>(s.objects), Bytes(s.bytes).c_str(),
      static_cast<unsigned long long>(s.verified),
      static_cast<unsigned long long>(s.legacy_unverified),
      static_cast<unsigned long long>(s.delete_markers),
      static_cast<unsigned long long>(s.objects_this_run));
  std::printf("problems: %llu corrupt, %llu missing, %llu size mismatch, %llu orphan blobs\n",
              static_cast<unsigned long long>(s.corrupt_count),
              static_cast<unsigned long long>(s.missing_count),
              static_cast<unsigned long long>(s.size_mismatch_count),
              static_cast<unsigned long long>(s.orphan_count));
  for (const auto* list : {&s.corrupt, &s.missing, &s.size_mismatch}) {
    for (const auto& p : *list) PrintProblem(p);
  }
  for (const auto& o : s.orphans) {
    std::printf("  orphan        blob %s (%s, %lld s old)\n", o.blob_id.c_str(),
                Bytes(o.size).c_str(), static_cast<long long>(o.age_seconds));
  }
  if (!s.complete) std::printf("the next kura scrub resumes where this one stopped\n");
}

bool SleepUnlessStopped(std::chrono::nanoseconds duration) {
  auto until = std::chrono::steady_clock::now() + duration;
  while (!g_stop) {
    auto left = until - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds(0)) return true;
    std::this_thread::sleep_for(
        std::min<std::chrono::nanoseconds>(left, std::chrono::milliseconds(50)));
  }
  return false;
}

}  // namespace

int ScrubCommand(const std::vector<std::string>& args) {
  int exit = 0;
  auto options = ParseOptions(args, &exit);
  if (!options) return exit;
  ::umask(077);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  scrub::StateFiles state(options->data_dir / "scrub");
  auto scan = store::sqlite::OpenVersionScan(options->data_dir / "meta.db");
  if (!scan) return Usage(scan.error().message);
  auto lock = state.Lock();
  if (!lock) return Usage(lock.error().message);
  ProgressBar bar;
  scrub::ScrubHooks hooks;
  if (::isatty(STDERR_FILENO)) hooks.progress = [&](const scrub::Progress& p) { bar.Draw(p); };
  hooks.stop = &g_stop;
  SystemClock clock;
  scrub::Scrubber scrubber(
      **scan, state, clock, SleepUnlessStopped,
      {.blobs_dir = options->data_dir / "blobs", .bytes_per_second = options->rate},
      std::move(hooks));
  auto summary = scrubber.Run(options->restart);
  bar.Clear();
  if (!summary) {
    std::fprintf(stderr, "kura scrub: %s\n", summary.error().message.c_str());
    return 2;
  }
  if (options->json) {
    std::printf("%s\n", scrub::ToJson(*summary).c_str());
  } else {
    PrintSummary(*summary);
  }
  if (!summary->complete) return 2;
  return summary->clean() ? 0 : 1;
}

}  // namespace kura::cmd
