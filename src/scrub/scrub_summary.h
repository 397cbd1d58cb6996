// What a scrub pass found (scrub/scrubber.h), and its JSON form: the machine-readable summary
// `kura scrub --json` prints, and the form in which DATA/scrub/ keeps an interrupted pass's
// findings and the last finished pass (docs/operations.md, "Scrubbing").
//
// JSON: {"objects", "bytes", "verified", "legacy_unverified", "delete_markers",
// "objects_this_run", "duration_seconds", "complete", "started", "finished" (Unix seconds),
// "counts": {"corrupt", "missing", "size_mismatch", "orphans"}, "corrupt": [problem…],
// "missing": [problem…], "size_mismatch": [problem…], "orphans": [{"blobId", "size",
// "ageSeconds"}…]}; a problem is {"bucket", "key", "versionId", "blobId", "reason"} and, for
// a part of an upload in progress, "uploadId" and "partNumber" instead of "versionId". Each list
// holds at most kMaxListed entries; "counts" has the full numbers.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace kura::scrub {

enum class ProblemKind { kCorrupt, kMissing, kSizeMismatch };

struct Problem {
  ProblemKind kind = ProblemKind::kCorrupt;
  std::string bucket{};
  std::string key{};
  std::string version_id{};  // "" for an upload's part
  std::string upload_id{};   // set for an upload's part
  int part_number = 0;
  std::string blob_id{};  // the file blob at fault ("" for inline bodies)
  std::string reason{};

  friend bool operator==(const Problem&, const Problem&) = default;
};

struct Orphan {
  std::string blob_id{};
  uint64_t size = 0;
  int64_t age_seconds = 0;

  friend bool operator==(const Orphan&, const Orphan&) = default;
};

inline constexpr size_t kMaxListed = 1000;

struct Summary {
  uint64_t objects = 0;  // versions, delete markers and upload parts walked in the pass
  uint64_t bytes = 0;    // their recorded sizes
  uint64_t verified = 0;
  uint64_t legacy_unverified = 0;
  uint64_t delete_markers = 0;
  uint64_t objects_this_run = 0;  // of `objects`, those this process walked (less on a resume)
  uint64_t corrupt_count = 0;
  uint64_t missing_count = 0;
  uint64_t size_mismatch_count = 0;
  uint64_t orphan_count = 0;
  std::vector<Problem> corrupt{};
  std::vector<Problem> missing{};
  std::vector<Problem> size_mismatch{};
  std::vector<Orphan> orphans{};
  double duration_seconds = 0;  // of every run of the pass together
  bool complete = false;        // the pass reached its end
  int64_t started = 0;          // Unix seconds
  int64_t finished = 0;         // Unix seconds; 0 while not complete

  bool clean() const {
    return corrupt_count + missing_count + size_mismatch_count + orphan_count == 0;
  }
  // Counts the problem and keeps it if its list has room.
  void Add(Problem problem);
  void Add(Orphan orphan);

  friend bool operator==(const Summary&, const Summary&) = default;
};

std::string_view ProblemKindName(ProblemKind kind);  // "corrupt", "missing", "size_mismatch"

std::string ToJson(const Summary& summary);
// kInvalidArgument when `json` is not a summary ToJson wrote.
Result<Summary> SummaryFromJson(std::string_view json);

}  // namespace kura::scrub
