// Multipart rules shared by the SQL stores (SQLite and PostgreSQL read and write the upload's
// parts their own way, then call these): a part's blob, and what completing an upload leaves over.
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "store/records.h"

namespace kura::store {

// The blob of a stored part: always a file (Placement::kAlwaysFile), so Complete can reference it.
BlobRef PartBlob(std::string id, uint64_t size);

// The blobs of the `stored` parts that `completed` does not use. kInvalidPart when a part it
// lists (number and blob id) is not among them: missing, or replaced since the caller read it.
Result<std::vector<BlobRef>> UnusedParts(std::vector<PartRecord> stored,
                                         const CompletedUpload& completed);

}  // namespace kura::store
