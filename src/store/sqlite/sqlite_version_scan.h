// VersionScan (store/version_scan.h) over kura's SQLite database, on one read-only connection of
// its own: `kura scrub` walks a data dir while `kura serve` writes to it (WAL lets a reader run
// beside the writer and never blocks it), and the server's background scrubber walks it the
// same way. It neither migrates nor writes: a database whose schema is older than objects with
// versions (migration 4) or newer than this build is refused; inline checksums are read when
// the database has them (inline_blobs.crc32c) and reported missing (legacy) otherwise.
// Thread-safety: one thread at a time.
#pragma once

#include <filesystem>
#include <memory>

#include "store/version_scan.h"

namespace kura::store::sqlite {

// kInternalError when the file is missing, unreadable or of an unsupported schema.
Result<std::unique_ptr<VersionScan>> OpenVersionScan(const std::filesystem::path& db_file);

}  // namespace kura::store::sqlite
