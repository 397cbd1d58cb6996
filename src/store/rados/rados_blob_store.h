// The Ceph RADOS BlobStore (#20): object bytes in a RADOS pool shared by every kura node, so that
// N stateless nodes with one metadata database serve the same objects. Layout: rados_layout.h.
//
// As the filesystem store: small blobs (≤ kInlineThreshold, kInlineIfSmall) come back inline for
// the metadata row; larger ones get a random id and are striped over 4 MiB objects, written with
// asynchronous I/O (at most kPiecesInFlight 1 MiB pieces in flight per writer) while the bytes
// stream in. Seal() returns only once RADOS has acknowledged every write, i.e. the bytes are
// committed on the pool's replicas: the metadata commits after the data is durable. A writer
// destroyed without a successful Seal() removes what it wrote. Every read is verified against
// the per-block CRC32C kept in each stripe's xattr; damage is a CorruptRead (kCorruptData). Reads
// wait on the network, so the store has a read pool for them (PooledReads, store/blob_reads.h).
//
// Difference from the filesystem store: RADOS has no unlink-while-open, so a reader does NOT stay
// valid after Delete() of its blob. Ids are never reused, so such a reader can never return other
// bytes: its next read of a removed stripe fails with kInternalError. For S3 that is a GET racing
// an overwrite: before the response head it is a 500 the client retries (and reads the new
// object); after it, a cut body the client detects.
//
// Orphans: RemoveUnreferenced() lists the pool (the configured namespace only) and removes blobs
// nobody references, but spares the blobs this store created since it opened AND any blob one of
// whose stripes is younger than RadosOptions::orphan_grace, since other nodes may hold sealed
// blobs whose metadata has not committed yet. Stripe ages come from the OSD's mtime, so nodes'
// clocks must agree to well within the grace period.
//
// Thread-safety: thread-safe; writers and readers are single-threaded objects and must be
// destroyed before the store.
#pragma once

#include <rados/librados.h>

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/random.h"
#include "store/blob_reads.h"
#include "store/blob_store.h"
#include "store/rados/rados_options.h"

namespace kura::store::rados {

class RadosBlobStore final : public BlobStore, public PooledReads {
 public:
  // Blocking reads (PostRead): each waits for a round trip to an OSD, so more of them than the
  // filesystem store's keep a GET's read-ahead going while others wait.
  static constexpr int kReadThreads = 8;
  // Connects (kInternalError naming the cause if the cluster is unreachable within
  // options.op_timeout or the pool does not exist).
  static Result<std::unique_ptr<RadosBlobStore>> Open(const RadosOptions& options);
  ~RadosBlobStore() override;
  RadosBlobStore(const RadosBlobStore&) = delete;
  RadosBlobStore& operator=(const RadosBlobStore&) = delete;

  std::unique_ptr<BlobWriter> NewWriterFor(Placement placement) override;
  // kNoSuchKey if stripe 0 is gone; kCorruptData if its checksum xattr is missing or damaged.
  Result<std::unique_ptr<BlobReader>> Open(const BlobRef& ref) override;
  // store/blob_reads.h: an encrypted blob's stored length is above ref.size.
  Result<std::unique_ptr<BlobReader>> OpenBounded(const BlobRef& ref) override;
  void PostRead(std::function<void()> job) override;
  // Removes every stripe (counted from stripe 0's stored length when it still tells it, else
  // from ref.size), stripe 0 last.
  void Delete(const BlobRef& ref) override;
  Result<int> RemoveUnreferenced(
      const std::function<bool(const std::string&)>& referenced) override;

  // For writers: a new random blob id, remembered until the first sweep ends.
  std::string NewBlobId();
  // Removes stripes [0, stripes) of `id`, in parallel; best effort.
  void RemoveStripes(const std::string& id, uint64_t stripes);
  rados_ioctx_t io() const { return io_; }
  const RadosOptions& options() const { return options_; }

 private:
  RadosBlobStore(RadosOptions options, rados_t cluster, rados_ioctx_t io)
      : options_(std::move(options)), cluster_(cluster), io_(io) {}
  bool IsNew(const std::string& id);
  // Whether every one of a blob's stripes is older than the grace period (false if one cannot
  // be stat()ed).
  bool OutlivedGrace(const std::vector<std::string>& stripes);
  void RemoveBlob(const std::string& id, uint64_t size);

  RadosOptions options_;
  rados_t cluster_;
  rados_ioctx_t io_;
  std::mutex random_mu_;
  SecureRandom random_;                               // guarded by random_mu_
  bool recording_new_ids_ = true;                     // guarded by random_mu_
  std::unordered_set<std::string> new_ids_;           // guarded by random_mu_
  boost::asio::thread_pool read_pool_{kReadThreads};  // joined first: its jobs use the ioctx
};

}  // namespace kura::store::rados
