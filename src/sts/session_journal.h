// The session registry's file (DATA/sts-sessions, mode 0600): one text line per live session,
// appended in batches as sessions are issued and rewritten whole (compacted) to drop expired
// and superseded lines. No secret is ever written: the line carries what LiveSession carries.
//   kura-sts-sessions 1                                     (first line: format and version)
//   S<TAB>ASIA…<TAB>ACCOUNT<TAB>ROLE_ARN<TAB>ROLE_ID<TAB>SESSION_NAME<TAB>SOURCE_IDENTITY<TAB>
//     ISSUER_ARN<TAB>ISSUED<TAB>EXPIRES<TAB>LAST_USED<TAB>LAST_USED_FROM<LF>
// Times are Unix seconds (LAST_USED 0: never used); text fields escape '%', TAB, LF and every
// other byte below 0x21 or 0x7F as %XX. A later line for the same access key id supersedes an
// earlier one. A last line without its LF was torn by a crash mid-append: it is ignored (and
// the next compaction drops it); a malformed line is skipped and counted.
// Thread-safety: the functions are pure; a JournalFile is used by one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/live_session.h"

namespace kura::sts {

inline constexpr std::string_view kJournalHeader = "kura-sts-sessions 1\n";

// One line's fields, borrowed: the registry formats its packed records without copying them
// into a LiveSession first.
struct JournalFields {
  // Access key id, account, role ARN, role id, session name, source identity, issuer ARN.
  std::array<std::string_view, 7> text;
  int64_t issued = 0;     // Unix seconds
  int64_t expires = 0;    // Unix seconds
  int64_t last_used = 0;  // Unix seconds; 0 = never
  std::string_view last_used_from;
};
JournalFields FieldsOf(const LiveSession& session);

// The journal line of `session` (with its LF).
std::string FormatJournalLine(const LiveSession& session);
// A line appended to `out` (the writer formats a whole batch into one buffer).
void AppendJournalLine(std::string& out, const JournalFields& fields);

struct JournalContents {
  std::vector<LiveSession> sessions;  // in file order (later ones supersede earlier ones)
  size_t malformed = 0;               // lines skipped
  bool torn = false;                  // the last line had no LF
};

// Parses a whole journal. kInternalError when the first line is not kJournalHeader (a file
// this kura does not understand is not silently overwritten); an empty text is an empty journal.
Result<JournalContents> ParseJournal(std::string_view text);

class JournalFile {
 public:
  // Reads `path` if it exists ("" when it does not).
  static Result<std::string> ReadAll(const std::filesystem::path& path);
  // Replaces the file with `contents` atomically (temporary file, fsync, rename, directory
  // fsync), mode 0600, and keeps it open for appending.
  Result<void> Rewrite(const std::filesystem::path& path, std::string_view contents);
  // Appends `lines` with one write and makes them durable (fdatasync).
  Result<void> Append(std::string_view lines);

  JournalFile() = default;
  JournalFile(const JournalFile&) = delete;
  JournalFile& operator=(const JournalFile&) = delete;
  ~JournalFile();

 private:
  int fd_ = -1;
};

}  // namespace kura::sts
