// One scrub pass over a data dir (issue #16, "End-to-end integrity"): every object version
// (delete markers included), then every part of the multipart uploads in progress, then the
// orphan blob files. Each blob's bytes are checked as scrub/blob_check.h says; a problem is
// confirmed against the metadata as it is now before it is reported (a scrub runs beside a
// serving kura, which may have overwritten or deleted the version meanwhile).
//
// Resuming: every `save_every` the position after the last completed object is saved with the
// findings so far (scrub/scrub_state.h); a pass that is stopped saves it too. Run() continues
// from a saved cursor unless told to restart, so an interrupted scrub does not redo what it
// walked. A finished pass clears the cursor and saves its summary as the last pass.
//
// The caller holds the StateFiles' lock (one scrub per data dir). Reads are paced to
// `bytes_per_second`; the clock and the sleeping are injected.
// Thread-safety: one thread; `stop` may be set from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>

#include "common/clock.h"
#include "common/error.h"
#include "scrub/blob_check.h"
#include "scrub/pacer.h"
#include "scrub/scrub_state.h"
#include "scrub/scrub_summary.h"
#include "store/version_scan.h"

namespace kura::scrub {

struct ScrubConfig {
  std::filesystem::path blobs_dir{};  // DATA/blobs (layout of store/fs/fs_blob_store.h)
  uint64_t bytes_per_second = 0;      // 0: as fast as the disk goes
  std::chrono::seconds save_every{5};
  std::chrono::seconds orphan_min_age{3600};
  int page = 64;  // versions read per query (inline bodies are read with them: ≤ 64 KiB each)
};

struct Progress {
  uint64_t objects = 0;  // done in this pass
  uint64_t objects_total = 0;
  uint64_t bytes = 0;
  uint64_t bytes_total = 0;
};

struct ScrubHooks {
  std::function<void(const Progress&)> progress{};  // after each object; keep it cheap
  std::function<void(const Problem&)> problem{};    // as each problem is confirmed
  std::function<void(const Orphan&)> orphan{};
  const std::atomic<bool>* stop = nullptr;  // set: finish the current object, save, return
};

class Scrubber {
 public:
  Scrubber(store::VersionScan& scan, const StateFiles& state, const Clock& clock, Sleeper sleep,
           ScrubConfig config, ScrubHooks hooks = {});

  // Runs a pass, resuming a saved one unless `restart`. Returns the pass's summary: complete,
  // or (stopped) the findings so far. Errors: the metadata cannot be read, the state files cannot
  // be written.
  Result<Summary> Run(bool restart);

 private:
  enum class Step { kDone, kStopped };
  struct ObjectOutcome {
    Verdict verdict = Verdict::kVerified;
    std::string blob_id{};
    std::string reason{};
  };

  Result<Step> WalkVersions(Cursor& cursor);
  Result<Step> WalkParts(Cursor& cursor);
  Result<Step> WalkOrphans(Cursor& cursor);
  ObjectOutcome CheckVersion(const store::ScannedVersion& version);
  // Confirms the problem against the metadata and adds it to the summary.
  Result<void> ReportVersion(Cursor& cursor, const store::ScannedVersion& version,
                             const ObjectOutcome& outcome);
  Result<void> ReportPart(Cursor& cursor, const store::ScannedPart& part,
                          const ObjectOutcome& outcome);
  // An object walked; `verdict` nullopt for a delete marker (no bytes to check).
  void Count(Summary& summary, std::optional<Verdict> verdict, uint64_t bytes);
  Result<void> SaveNow(Cursor& cursor);
  Result<void> MaybeSave(Cursor& cursor);
  bool Stopping() const { return hooks_.stop != nullptr && hooks_.stop->load(); }

  store::VersionScan& scan_;
  const StateFiles& state_;
  const Clock& clock_;
  Pacer pacer_;
  ScrubConfig config_;
  ScrubHooks hooks_;
  Progress progress_{};
  TimePoint run_started_{};
  TimePoint last_save_{};
  double duration_before_ = 0;  // of earlier runs of a resumed pass
};

}  // namespace kura::scrub
