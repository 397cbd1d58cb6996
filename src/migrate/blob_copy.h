// Copying file blobs from one BlobStore to another for `kura migrate` (migration.h), and checking
// the copies. A blob is copied in its stored form (an encrypted blob stays ciphertext: its data
// key stays sealed by the same KMS master key), streamed through a 1 MiB buffer: the source
// reader verifies every block against the source's stored checksums (a damaged source blob fails
// the copy), the target writer is sealed (durable) before the copy's id is handed out, and the
// CRC32C of the bytes is kept so that Verify() can re-read each copy and compare.
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "store/blob_store.h"

namespace kura::migrate {

class BlobCopier {
 public:
  // Borrows both stores.
  BlobCopier(store::BlobStore& source, store::BlobStore& target)
      : source_(source), target_(target) {}

  // Copies the file blob `id` of a record whose (plaintext) size is `size` and returns the copy's
  // id; a blob already copied is not copied again. kCorruptData when the source fails its
  // checksums; the target's errors as they come.
  Result<std::string> Copy(const std::string& id, uint64_t size);
  // Re-reads every copy from the target, comparing its length and CRC32C with the source's;
  // each difference (or read failure) is appended to `mismatches`.
  void Verify(std::vector<std::string>& mismatches);
  // Removes every copy (after a migration that failed before its commit).
  void DeleteCopies();

  uint64_t blobs() const { return copies_.size(); }
  uint64_t bytes() const { return bytes_; }

 private:
  struct Copied {
    std::string id;             // in the target
    uint64_t size = 0;          // the record's size (opening bound)
    uint64_t stored_bytes = 0;  // what was read from the source and written
    uint32_t crc32c = 0;
  };
  Result<Copied> Stream(const std::string& id, uint64_t size);

  store::BlobStore& source_;
  store::BlobStore& target_;
  std::unordered_map<std::string, Copied> copies_;  // by source id
  uint64_t bytes_ = 0;
};

// CRC32C and length of a blob's stored bytes, read with `blobs`' own verification.
struct BlobDigest {
  uint64_t bytes = 0;
  uint32_t crc32c = 0;
};
Result<BlobDigest> DigestBlob(store::BlobStore& blobs, const std::string& id, uint64_t size);

}  // namespace kura::migrate
