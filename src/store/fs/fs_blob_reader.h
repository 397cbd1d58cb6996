// The FsBlobStore's readers: a file blob is verified against its checksum footer
// (block_checksums.h) on every read. Open() classifies the file by its size and loads the CRC
// table; ReadAt() reads the whole 64 KiB blocks its range touches, checks each block's CRC32C and
// only then copies bytes out, so damaged bytes never leave the reader (kCorruptData instead,
// counted and logged with the blob id by read_integrity.h). A legacy file (no footer, written
// before checksums) is read unverified and keeps its descriptor available for sendfile; a
// verified one reports fd() == -1, because its bytes must pass through user space to be checked.
// Read errors (EIO, a file shorter than it was at open) are kInternalError without server paths.
// Thread-safety: a reader is used by one thread at a time.
#pragma once

#include <memory>

#include "store/fs/fs_blob_store.h"

namespace kura::store {

// How a BlobRef's size relates to the file: the data size exactly (plain blobs), or an upper
// bound of it (an encrypted blob's ciphertext, whose exact length only its header tells).
enum class SizeIs { kExact, kBound };

// Opens a file blob, or a kParts blob as the concatenation of its part files (each opened now).
Result<std::unique_ptr<BlobReader>> OpenFsBlob(const FsBlobStore& store, const BlobRef& ref,
                                               SizeIs size_is = SizeIs::kExact);

}  // namespace kura::store
