// Two read facilities of a BlobStore that its interface (blob_store.h) does not name yet:
// opening a blob whose stored length is only bounded, and running blocking reads on the store's
// read pool. Every read of a file blob of the filesystem store is verified against its checksums
// (store/fs/fs_blob_reader.h), which needs the bytes in user space and a blocking pread, and every
// read of the RADOS store (store/rados/) waits for the network; these keep that work off the I/O
// threads. TODO(#16): make them BlobStore virtuals when blob_store.h next changes (a change there
// rebuilds nearly everything; until then: stores that have them also derive from PooledReads).
// Thread-safety: as the store's.
#pragma once

#include <functional>
#include <memory>

#include "store/blob_store.h"

namespace kura::store {

// What a store with blocking reads implements besides BlobStore (FsBlobStore, RadosBlobStore):
// the two functions below, for that store.
class PooledReads {
 public:
  virtual ~PooledReads() = default;
  virtual Result<std::unique_ptr<BlobReader>> OpenBounded(const BlobRef& ref) = 0;
  virtual void PostRead(std::function<void()> job) = 0;
};

// As BlobStore::Open, when ref.size is only an upper bound of the stored length (an encrypted
// blob's ciphertext, whose exact length its header tells): the reader's size() is the stored
// length. Stores that keep exact lengths open as Open does.
Result<std::unique_ptr<BlobReader>> OpenBounded(BlobStore& blobs, const BlobRef& ref);

// Runs `job` (opening readers, ReadAt: blocking disk reads and their verification) on the
// store's read pool, so that a slow or stalled disk stalls only the reads waiting for it, never
// an I/O thread. Stores without blocking reads (memory) run it at once on the caller's thread.
void PostRead(BlobStore& blobs, std::function<void()> job);

}  // namespace kura::store
