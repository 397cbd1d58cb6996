// The filesystem BlobStore. Layout under the data dir (docs/formats/data-dir.md):
//   blobs/ab/cd/<id>   sealed blobs; <id> = 32 random hex characters, ab and cd its first bytes
//   tmp/<id>.tmp       blobs being written (spilled past kInlineThreshold)
//   LOCK               flock()ed while open, so two processes never share (and sweep) a dir
// Large blobs are written in 1 MiB pieces in the background, O_DIRECT where the filesystem
// allows (StagedFile). Seal() = write the rest, fsync the file, create the fan-out dirs
// (fsyncing their parents), rename tmp → blobs, fsync the blob's dir. Writers stream: at most
// kInlineThreshold, then two 1 MiB staging buffers of memory each. Crash leftovers go in two
// steps: RemoveTempFiles() at open (before any writer exists; cheap, only what was in flight),
// and RemoveUnreferenced() in the background while serving (it walks every blob, so it must not
// hold up start-up): it spares the blobs minted since open, whose metadata may not have
// committed yet.
// Every file blob ends with a checksum footer (block_checksums.h) that every read verifies
// (fs_blob_reader.h); blocking reads run on a read pool of their own (PostRead,
// store/blob_reads.h).
// Thread-safety: thread-safe; writers and readers are single-threaded objects.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "common/random.h"
#include "store/blob_reads.h"
#include "store/blob_store.h"
#include "store/fs/write_pool.h"

namespace kura::store {

class FsBlobStore final : public BlobStore, public PooledReads {
 public:
  static constexpr int kWriteThreads = 2;  // background writes of large blobs (WritePool)
  // Blocking reads and their verification (PostRead): enough that a few stalled reads leave
  // others going, few enough that reads cannot crowd out the I/O threads on a small machine.
  static constexpr int kReadThreads = 4;
  // Creates <data_dir>/blobs and <data_dir>/tmp (0700) if needed and locks the dir
  // (kInternalError "in use" if another store holds it).
  static Result<std::unique_ptr<FsBlobStore>> Open(const std::filesystem::path& data_dir);
  ~FsBlobStore() override;

  std::unique_ptr<BlobWriter> NewWriterFor(Placement placement) override;
  Result<std::unique_ptr<BlobReader>> Open(const BlobRef& ref) override;
  // store/blob_reads.h: the stored length may be below ref.size (the footer tells it).
  Result<std::unique_ptr<BlobReader>> OpenBounded(const BlobRef& ref) override;
  // store/blob_reads.h: runs `job` on the read pool.
  void PostRead(std::function<void()> job) override;
  void Delete(const BlobRef& ref) override;

  // Removes every temp file; returns how many. Only safe before the first writer (at open).
  Result<int> RemoveTempFiles();
  Result<int> RemoveUnreferenced(const std::function<bool(const std::string&)>& referenced) override;

  std::filesystem::path BlobPath(const std::string& id) const;
  std::filesystem::path TempPath(const std::string& id) const;
  std::string NewBlobId();
  WritePool& write_pool() { return write_pool_; }

 private:
  FsBlobStore(std::filesystem::path root, int lock_fd)
      : root_(std::move(root)), lock_fd_(lock_fd) {}

  std::filesystem::path root_;
  int lock_fd_;
  std::mutex random_mu_;
  SecureRandom random_;  // guarded by random_mu_
  // Ids minted since open, kept until the first RemoveUnreferenced() ends: those blobs are
  // exactly the ones whose metadata the caller's snapshot may not show yet.
  bool recording_new_ids_ = true;             // guarded by random_mu_
  std::unordered_set<std::string> new_ids_;  // guarded by random_mu_
  WritePool write_pool_{kWriteThreads};
  boost::asio::thread_pool read_pool_{kReadThreads};  // joined first: its jobs use the store
};

}  // namespace kura::store
