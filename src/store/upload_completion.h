// What completing a multipart upload leaves over, decided once for the SQL stores (SQLite and
// PostgreSQL read the upload's parts their own way, then call this).
// Thread-safety: a pure function.
#pragma once

#include <vector>

#include "common/error.h"
#include "store/records.h"

namespace kura::store {

// The blobs of the `stored` parts that `completed` does not use. kInvalidPart when a part it
// lists (number and blob id) is not among them: missing, or replaced since the caller read it.
Result<std::vector<BlobRef>> UnusedParts(std::vector<PartRecord> stored,
                                         const CompletedUpload& completed);

}  // namespace kura::store
