// Where kura keeps its metadata and its object bytes (--metadata, --blobs), and opening them.
//   metadata "sqlite" (the default): DATA/meta.db, the embedded store (sqlite/);
//            "postgresql://…" or "postgres://…": a shared PostgreSQL (postgres/, issue #20).
//   blobs    "files" (the default): files under DATA/blobs (fs/);
//            "rados://POOL?…": a Ceph RADOS pool (rados/rados_options.h gives the form).
// Any pairing opens; docs/scale-out.md says which serve several nodes (both shared).
// Thread-safety: plain functions.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"
#include "store/store.h"

namespace kura::store {

struct StoreLocations {
  std::string metadata = "sqlite";
  std::string blobs = "files";
};

// kInvalidArgument naming the flag when either is none of the forms above.
Result<void> CheckStoreLocations(const StoreLocations& locations);

// True when the metadata lives outside the data dir (PostgreSQL): then the node's own state
// (node/) lives there too.
bool SharesMetadata(const StoreLocations& locations);
// How many reads shared metadata (PostgreSQL) runs at once: its read connections. Each read is a
// network round trip, so `kura serve` runs them on as many threads, never on an I/O thread
// (issue #20; s3/metadata_reads.h).
inline constexpr size_t kSharedMetadataReads = 8;
// True when object bytes live in DATA/blobs (what the scrubber and the disk metrics watch).
bool KeepsBlobFiles(const StoreLocations& locations);

// Opens the metadata store alone (for operator commands that need no object bytes, e.g.
// `kura sts rotate-key` on shared metadata). `sqlite_options` serve the embedded store only.
Result<std::unique_ptr<MetadataStore>> OpenMetadataStore(const std::filesystem::path& data_dir,
                                                         const std::string& location,
                                                         sqlite::SqliteOptions sqlite_options = {});

// Opens both stores. `sqlite_options` serve the embedded metadata store only; `stats` reports
// the data dir's temp files removed (0 without blob files).
Result<Store> OpenStore(const std::filesystem::path& data_dir, const StoreLocations& locations,
                        sqlite::SqliteOptions sqlite_options = {}, OpenStats* stats = nullptr);

}  // namespace kura::store
