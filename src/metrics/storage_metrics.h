// Sizes on disk, read at scrape time with a few stat(2)/statvfs(2) calls (no walk over the
// blobs): kura_metadata_bytes (the metadata database and its WAL), and the data dir's file
// system, kura_data_dir_filesystem_size_bytes and _available_bytes (statvfs f_bavail: what kura
// may still write; the --min-free-space reserve is measured against it).
// Thread-safety: the collector may run on any thread.
#pragma once

#include <filesystem>
#include <vector>

#include "metrics/registry.h"

namespace kura::metrics {

void AddStorageMetrics(Registry& registry, std::filesystem::path data_dir,
                       std::vector<std::filesystem::path> metadata_files);

}  // namespace kura::metrics
