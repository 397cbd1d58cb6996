// The FsBlobStore's writer (see fs_blob_store.h for the durability protocol). A file blob's
// block CRCs are computed as its bytes stream in (on the appending thread, while they are in
// cache) and its checksum footer (block_checksums.h) is appended before the fsync and rename.
// Thread-safety: each object is used by one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "store/fs/fs_blob_store.h"

namespace kura::store {

std::unique_ptr<BlobWriter> NewFsBlobWriter(FsBlobStore& store, Placement placement);

}  // namespace kura::store
