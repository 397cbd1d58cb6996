// Finds orphan blob files: files under DATA/blobs/ that no version or upload part references and
// that are older than a minimum age, so that a blob sealed by a write still in flight (its
// metadata not yet committed) is never reported. Report only: the server's start-up sweep
// (store::RemoveOrphanBlobs) is what deletes them.
// `referenced` must be read before the walk starts: a blob written after that read is young, and
// one unreferenced after it is either gone from the walk or truly unreferenced.
// Thread-safety: stateless.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_set>

#include "common/clock.h"
#include "common/error.h"
#include "scrub/scrub_summary.h"

namespace kura::scrub {

// Calls `found` for each orphan under `blobs_dir`; `stop` (may be empty) is asked between files
// and ends the walk early when true. kInternalError when the directory cannot be listed.
Result<void> FindOrphans(const std::filesystem::path& blobs_dir,
                         const std::unordered_set<std::string>& referenced, const Clock& clock,
                         std::chrono::seconds min_age, const std::function<void(Orphan)>& found,
                         const std::function<bool()>& stop = {});

}  // namespace kura::scrub
