// `kura scrub [--data-dir DIR] [--json] [--rate BYTES_PER_SEC] [--restart]`: one scrub pass over
// a data dir (scrub/scrubber.h), beside a running `kura serve` or without one. It takes neither
// the server's DATA/LOCK nor a writable database: metadata is read on a read-only SQLite
// connection, blobs as files. Progress on stderr when it is a terminal, a summary at the end
// (JSON on stdout with --json: scrub/scrub_summary.h). SIGINT/SIGTERM stop it after the object in
// hand with the cursor saved; the next run resumes. Exit status: 0 clean, 1 problems found,
// 2 could not run (or interrupted before the end).
#pragma once

#include <string>
#include <vector>

namespace kura::cmd {

// args: the words after `kura scrub`. The process exit code.
int ScrubCommand(const std::vector<std::string>& args);

}  // namespace kura::cmd
