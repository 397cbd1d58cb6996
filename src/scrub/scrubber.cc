#include "scrub/scrubber.h"

#include "scrub/orphan_finder.h"

namespace kura::scrub {
namespace {

// DATA/blobs/ab/cd/<id>, as store/fs/fs_blob_store.h lays blobs out.
std::filesystem::path BlobPath(const std::filesystem::path& blobs_dir, const std::string& id) {
  if (id.size() < 4) return blobs_dir / id;
  return blobs_dir / id.substr(0, 2) / id.substr(2, 2) / id;
}

bool IsProblem(Verdict v) {
  return v == Verdict::kMissing || v == Verdict::kSizeMismatch || v == Verdict::kCorrupt;
}

ProblemKind KindOf(Verdict v) {
  if (v == Verdict::kMissing) return ProblemKind::kMissing;
  if (v == Verdict::kSizeMismatch) return ProblemKind::kSizeMismatch;
  return ProblemKind::kCorrupt;
}

double SecondsBetween(TimePoint from, TimePoint to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

Scrubber::Scrubber(store::VersionScan& scan, const StateFiles& state, const Clock& clock,
                   Sleeper sleep, ScrubConfig config, ScrubHooks hooks)
    : scan_(scan),
      state_(state),
      clock_(clock),
      pacer_(config.bytes_per_second, clock, std::move(sleep)),
      config_(std::move(config)),
      hooks_(std::move(hooks)) {}

Result<Summary> Scrubber::Run(bool restart) {
  Cursor cursor;
  if (restart) {
    KURA_TRY(state_.ClearCursor());
  } else {
    auto saved = state_.LoadCursor();
    if (!saved) return saved.error();
    if (*saved) cursor = std::move(**saved);
  }
  run_started_ = last_save_ = clock_.Now();
  if (cursor.so_far.started == 0) cursor.so_far.started = UnixSeconds(run_started_);
  cursor.so_far.objects_this_run = 0;
  duration_before_ = cursor.so_far.duration_seconds;
  auto totals = scan_.Totals();
  if (!totals) return totals.error();
  progress_ = {cursor.so_far.objects, totals->versions + totals->parts, cursor.so_far.bytes,
               totals->bytes};

  using Walk = Result<Step> (Scrubber::*)(Cursor&);
  constexpr Walk kWalks[] = {&Scrubber::WalkVersions, &Scrubber::WalkParts, &Scrubber::WalkOrphans};
  // An index into kWalks rather than the enum itself: GCC 12 under -fsanitize reports the enum
  // loop variable as maybe-uninitialized.
  for (std::size_t phase = static_cast<std::size_t>(cursor.phase); phase < std::size(kWalks);
       ++phase) {
    cursor.phase = static_cast<Phase>(phase);
    const Walk walk = kWalks[phase];
    auto step = (this->*walk)(cursor);
    if (!step) return step.error();
    if (*step == Step::kStopped) {
      KURA_TRY(SaveNow(cursor));
      return cursor.so_far;
    }
    cursor.version = {};
    cursor.part = {};
  }
  Summary& done = cursor.so_far;
  done.complete = true;
  done.finished = UnixSeconds(clock_.Now());
  done.duration_seconds = duration_before_ + SecondsBetween(run_started_, clock_.Now());
  KURA_TRY(state_.SaveLastPass(done));
  KURA_TRY(state_.ClearCursor());
  return done;
}

Result<Scrubber::Step> Scrubber::WalkVersions(Cursor& cursor) {
  while (true) {
    auto page = scan_.VersionsAfter(cursor.version, config_.page);
    if (!page) return page.error();
    if (page->empty()) return Step::kDone;
    for (const auto& version : *page) {
      if (Stopping()) return Step::kStopped;
      ObjectOutcome outcome = CheckVersion(version);
      if (outcome.verdict == Verdict::kInterrupted) return Step::kStopped;
      KURA_TRY(ReportVersion(cursor, version, outcome));
      if (version.is_delete_marker) ++cursor.so_far.delete_markers;
      Count(cursor.so_far, version.is_delete_marker ? std::nullopt : std::optional(outcome.verdict),
            version.blob.size);
      cursor.version = version.at;
      KURA_TRY(MaybeSave(cursor));
    }
  }
}

Result<Scrubber::Step> Scrubber::WalkParts(Cursor& cursor) {
  while (true) {
    auto page = scan_.PartsAfter(cursor.part, config_.page);
    if (!page) return page.error();
    if (page->empty()) return Step::kDone;
    for (const auto& part : *page) {
      if (Stopping()) return Step::kStopped;
      BlobCheck check = CheckFileBlob(BlobPath(config_.blobs_dir, part.blob_id), part.size,
                                      part.encrypted, pacer_);
      if (check.verdict == Verdict::kInterrupted) return Step::kStopped;
      ObjectOutcome outcome{check.verdict, part.blob_id, std::move(check.reason)};
      KURA_TRY(ReportPart(cursor, part, outcome));
      Count(cursor.so_far, outcome.verdict, part.size);
      cursor.part = part.at;
      KURA_TRY(MaybeSave(cursor));
    }
  }
}

Result<Scrubber::Step> Scrubber::WalkOrphans(Cursor& cursor) {
  // References first, then the files: see orphan_finder.h.
  auto referenced = scan_.ReferencedBlobIds();
  if (!referenced) return referenced.error();
  KURA_TRY(FindOrphans(
      config_.blobs_dir, *referenced, clock_, config_.orphan_min_age,
      [&](Orphan orphan) {
        if (hooks_.orphan) hooks_.orphan(orphan);
        cursor.so_far.Add(std::move(orphan));
      },
      [&] { return Stopping(); }));
  // The orphan walk is cheap and not resumable: stopped, it runs again from the start.
  if (Stopping()) {
    cursor.so_far.orphans.clear();
    cursor.so_far.orphan_count = 0;
    return Step::kStopped;
  }
  return Step::kDone;
}

Scrubber::ObjectOutcome Scrubber::CheckVersion(const store::ScannedVersion& v) {
  using Kind = store::BlobRef::Kind;
  if (v.is_delete_marker) return {};
  if (v.blob.kind == Kind::kInline) {
    if (!pacer_.Take(v.blob.inline_data.size())) return {Verdict::kInterrupted};
    BlobCheck check =
        CheckInlineBody(v.blob.inline_data, v.blob.size, v.encrypted, v.inline_crc32c);
    return {check.verdict, "", std::move(check.reason)};
  }
  if (v.blob.kind == Kind::kFile) {
    BlobCheck check =
        CheckFileBlob(BlobPath(config_.blobs_dir, v.blob.id), v.blob.size, v.encrypted, pacer_);
    return {check.verdict, v.blob.id, std::move(check.reason)};
  }
  // kParts: the first bad part decides; one legacy part makes the object unverifiable.
  ObjectOutcome outcome;
  for (const auto& part : v.blob.parts) {
    BlobCheck check =
        CheckFileBlob(BlobPath(config_.blobs_dir, part.id), part.size, v.encrypted, pacer_);
    if (check.verdict == Verdict::kInterrupted || IsProblem(check.verdict)) {
      return {check.verdict, part.id, std::move(check.reason)};
    }
    if (check.verdict == Verdict::kLegacy) outcome.verdict = Verdict::kLegacy;
  }
  return outcome;
}

Result<void> Scrubber::ReportVersion(Cursor& cursor, const store::ScannedVersion& v,
                                     const ObjectOutcome& outcome) {
  if (!IsProblem(outcome.verdict)) return Ok();
  auto now = scan_.FindVersion(v.at);
  if (!now) return now.error();
  // Gone or rewritten since the page was read: not a problem of what is stored now.
  if (!*now || (*now)->blob.kind != v.blob.kind || (*now)->blob.id != v.blob.id ||
      (*now)->blob.parts != v.blob.parts) {
    return Ok();
  }
  Problem problem{.kind = KindOf(outcome.verdict),
                  .bucket = v.at.bucket,
                  .key = v.at.key,
                  .version_id = v.version_id,
                  .blob_id = outcome.blob_id,
                  .reason = outcome.reason};
  if (hooks_.problem) hooks_.problem(problem);
  cursor.so_far.Add(std::move(problem));
  return Ok();
}

Result<void> Scrubber::ReportPart(Cursor& cursor, const store::ScannedPart& part,
                                  const ObjectOutcome& outcome) {
  if (!IsProblem(outcome.verdict)) return Ok();
  auto now = scan_.FindPart(part.at);
  if (!now) return now.error();
  if (!*now || (*now)->blob_id != part.blob_id) return Ok();
  Problem problem{.kind = KindOf(outcome.verdict),
                  .bucket = part.bucket,
                  .key = part.key,
                  .upload_id = part.at.upload_id,
                  .part_number = part.at.part_number,
                  .blob_id = outcome.blob_id,
                  .reason = outcome.reason};
  if (hooks_.problem) hooks_.problem(problem);
  cursor.so_far.Add(std::move(problem));
  return Ok();
}

void Scrubber::Count(Summary& summary, std::optional<Verdict> verdict, uint64_t bytes) {
  ++summary.objects;
  ++summary.objects_this_run;
  summary.bytes += bytes;
  if (verdict == Verdict::kVerified) ++summary.verified;
  if (verdict == Verdict::kLegacy) ++summary.legacy_unverified;
  ++progress_.objects;
  progress_.bytes += bytes;
  if (hooks_.progress) hooks_.progress(progress_);
}

Result<void> Scrubber::SaveNow(Cursor& cursor) {
  TimePoint now = clock_.Now();
  cursor.so_far.duration_seconds = duration_before_ + SecondsBetween(run_started_, now);
  last_save_ = now;
  return state_.SaveCursor(cursor);
}

Result<void> Scrubber::MaybeSave(Cursor& cursor) {
  if (clock_.Now() - last_save_ < config_.save_every) return Ok();
  return SaveNow(cursor);
}

}  // namespace kura::scrub
