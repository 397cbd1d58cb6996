// Reading RADOS blobs (layout: rados_layout.h). A reader knows every stripe's name from the blob
// id and size; it reads a stripe's checksum xattr once, when it first reads that stripe, and
// verifies every 64 KiB block it returns bytes of (a read inside a block reads the whole block).
// A stripe that is missing, short, or without a valid xattr is never served: a damaged one is a
// CorruptRead (kCorruptData); one removed under the reader (its blob was deleted, see
// rados_blob_store.h) is a ReadFailure (kInternalError).
// Thread-safety: one thread at a time; the ioctx must outlive the reader.
#pragma once

#include <rados/librados.h>

#include <memory>
#include <string>

#include "store/blob_store.h"

namespace kura::store::rados {

// kNoSuchKey if the blob's (or a part's) first stripe does not exist; kCorruptData if its stored
// length ("kura.size") is missing or disagrees with ref.size: equal to it, or when `bounded` (an
// encrypted blob, store/blob_reads.h) at most it. The reader's size() is the stored length.
Result<std::unique_ptr<BlobReader>> OpenRadosBlob(rados_ioctx_t io, const BlobRef& ref,
                                                  bool bounded);
// The stored length of sealed blob `id`, from stripe 0.
Result<uint64_t> StoredSize(rados_ioctx_t io, const std::string& id);

}  // namespace kura::store::rados
