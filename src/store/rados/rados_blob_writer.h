// The RadosBlobStore's writer (layout: rados_layout.h). Bytes up to kInlineThreshold wait in
// memory; past it the blob gets its id and its bytes go into 1 MiB pieces, each written with
// asynchronous I/O as soon as it is full, the CRC32C of every 64 KiB block computed on the
// appending thread as the bytes arrive. A full stripe's last piece carries its checksum xattr in
// the same atomic operation. At most kPiecesInFlight pieces are in flight: the writer waits for
// the oldest before it sends another, so a writer holds at most 64 KiB, or kPiecesInFlight + 1
// pieces, of memory. Seal() sends the last piece and stripe 0's "kura.size", and waits for every
// acknowledgement. After a failed write the writer only returns that error.
// Thread-safety: one thread at a time.
#pragma once

#include <memory>

#include "store/rados/rados_blob_store.h"

namespace kura::store::rados {

std::unique_ptr<BlobWriter> NewRadosBlobWriter(RadosBlobStore& store, Placement placement);

}  // namespace kura::store::rados
