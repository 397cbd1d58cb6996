// The FsBlobStore's writer and readers (see fs_blob_store.h for the durability protocol).
// Thread-safety: each object is used by one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "store/fs/fs_blob_store.h"

namespace kura::store {

std::unique_ptr<BlobWriter> NewFsBlobWriter(FsBlobStore& store, Placement placement);
// Opens a file blob, or a kParts blob as the concatenation of its part files.
Result<std::unique_ptr<BlobReader>> OpenFsBlob(const FsBlobStore& store, const BlobRef& ref);

}  // namespace kura::store
