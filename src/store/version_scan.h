// A read-only walk over everything that holds object bytes, for the scrubber (`kura scrub`,
// scrub/scrubber.h): every object version (all buckets, noncurrent versions and delete markers
// included) and every part of the multipart uploads in progress, in a fixed order with a
// position to resume from, plus the set of file blobs referenced (for the orphan report).
//
// Order of versions: by bucket, then key (both as UTF-8 bytes), then newest version first (the
// store's version order, `seq`, descending: the index order of both version tables, so each
// page is one seek). Parts: by upload id, then part number. A page is read in one snapshot; two
// pages may see different snapshots (a scrub runs for hours beside a serving kura), which is why
// the scrubber confirms a problem with FindVersion/FindPart before reporting it.
//
// Thread-safety: an implementation is used by one thread at a time.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/error.h"
#include "store/records.h"

namespace kura::store {

// A version's place in the walk. The default is before every version.
struct VersionPosition {
  std::string bucket{};
  std::string key{};
  int64_t order = std::numeric_limits<int64_t>::max();  // seq; walked descending

  friend bool operator==(const VersionPosition&, const VersionPosition&) = default;
};

struct ScannedVersion {
  VersionPosition at{};
  std::string version_id{};
  bool is_latest = false;
  bool is_delete_marker = false;
  bool encrypted = false;  // ObjectRecord::encryption is set: file bytes are crypt/'s format
  BlobRef blob{};          // kInline with inline_data filled in
  // CRC32C of the stored inline bytes; nullopt for a row written before inline checksums.
  std::optional<uint32_t> inline_crc32c{};
};

// A part's place in the walk. The default is before every part.
struct PartPosition {
  std::string upload_id{};
  int part_number = 0;

  friend bool operator==(const PartPosition&, const PartPosition&) = default;
};

struct ScannedPart {
  PartPosition at{};
  std::string bucket{};
  std::string key{};
  uint64_t size = 0;
  std::string blob_id{};  // a part is always a file blob
  bool encrypted = false;
};

struct ScanTotals {
  uint64_t versions = 0;  // delete markers included
  uint64_t parts = 0;
  uint64_t bytes = 0;  // recorded sizes of both
};

class VersionScan {
 public:
  virtual ~VersionScan() = default;
  // The versions after `after`, at most `limit`, inline bodies included.
  virtual Result<std::vector<ScannedVersion>> VersionsAfter(const VersionPosition& after,
                                                            int limit) = 0;
  // The version at exactly `at` as it is now, or nullopt when it is gone.
  virtual Result<std::optional<ScannedVersion>> FindVersion(const VersionPosition& at) = 0;
  virtual Result<std::vector<ScannedPart>> PartsAfter(const PartPosition& after, int limit) = 0;
  virtual Result<std::optional<ScannedPart>> FindPart(const PartPosition& at) = 0;
  // How much there is to walk (for progress), at the time of the call.
  virtual Result<ScanTotals> Totals() = 0;
  // Every file blob id a version or a part references, in one snapshot (as
  // MetadataStore::ReferencedBlobIds).
  virtual Result<std::unordered_set<std::string>> ReferencedBlobIds() = 0;
};

}  // namespace kura::store
