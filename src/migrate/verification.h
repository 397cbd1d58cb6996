// The check of `kura migrate` (migration.h) on the metadata: everything read back from the
// target through its MetadataStore — the code the shared nodes serve with, not the copy's — and
// compared with the source database: each bucket's record, its full version listing (versions
// and delete markers, in order, with every field but the blob ids the copy changed), inline
// bodies byte for byte, uploads in progress with their parts, and every document.
// Thread-safety: one thread.
#pragma once

#include <string>
#include <vector>

#include "store/metadata_store.h"
#include "store/sqlite/db.h"

namespace kura::migrate {

// Appends each difference to `mismatches` (at most kMaxMismatches, then a last line saying so).
void VerifyMetadata(store::sqlite::Db& source, store::MetadataStore& target,
                    std::vector<std::string>& mismatches);

inline constexpr size_t kMaxMismatches = 100;

}  // namespace kura::migrate
