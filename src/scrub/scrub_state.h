// What a scrub keeps between runs, in DATA/scrub/ (0700; files 0600, each replaced atomically:
// temp file, fsync, rename, fsync of the directory):
//   cursor     the position after the last object an unfinished pass completed, with that
//              pass's findings so far; the next run continues from it (unless --restart)
//   last-pass  the summary of the last finished pass, with its start and end times
//   LOCK       flock()ed by the one scrub running (`kura scrub` or the server's background
//              scrubber), so that two never interleave their cursors. Not DATA/LOCK, which the
//              server holds for as long as it runs.
// Thread-safety: StateFiles is stateless apart from its path; a ScrubLock belongs to one owner.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "common/error.h"
#include "scrub/scrub_summary.h"
#include "store/version_scan.h"

namespace kura::scrub {

// A pass walks versions, then the parts of uploads in progress, then looks for orphans.
enum class Phase { kVersions = 0, kParts = 1, kOrphans = 2 };

struct Cursor {
  Phase phase = Phase::kVersions;
  store::VersionPosition version{};  // last version completed (kVersions)
  store::PartPosition part{};        // last part completed (kParts)
  Summary so_far{};

  friend bool operator==(const Cursor&, const Cursor&) = default;
};

std::string CursorToJson(const Cursor& cursor);
Result<Cursor> CursorFromJson(std::string_view json);  // kInvalidArgument

// Holds DATA/scrub/LOCK until destroyed.
class ScrubLock {
 public:
  explicit ScrubLock(int fd) : fd_(fd) {}
  ~ScrubLock();
  ScrubLock(ScrubLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ScrubLock(const ScrubLock&) = delete;
  ScrubLock& operator=(const ScrubLock&) = delete;
  ScrubLock& operator=(ScrubLock&&) = delete;

 private:
  int fd_;
};

class StateFiles {
 public:
  explicit StateFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Creates the directory if needed; kInternalError "a scrub is already running" when another
  // process (or another ScrubLock of this one) holds the lock.
  Result<ScrubLock> Lock();

  // nullopt when there is none. A cursor that does not parse (e.g. from a newer kura) also
  // reads as none: the pass then starts over, which is always safe.
  Result<std::optional<Cursor>> LoadCursor() const;
  Result<void> SaveCursor(const Cursor& cursor) const;
  Result<void> ClearCursor() const;
  Result<std::optional<Summary>> LoadLastPass() const;
  Result<void> SaveLastPass(const Summary& summary) const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  Result<std::optional<std::string>> Read(const char* name) const;
  Result<void> Replace(const char* name, const std::string& contents) const;

  std::filesystem::path dir_;
};

}  // namespace kura::scrub
