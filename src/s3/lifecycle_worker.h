// The lifecycle worker: applies every bucket's lifecycle configuration in the background.
// Each pass walks each configured bucket's versions in pages (ListObjectVersions, newest first
// per key) and its multipart uploads (ListUploads), decides per version with DecideVersion (a
// pure function of the rules, the version and the time), and applies each decision as its own
// store write — DeleteObject with LockContext{now, no bypass}, so a locked version is refused by
// the store (counted as skipped, never removed) and the store's writer is never held for more
// than one small transaction. Blobs the writes free are deleted after the commit, as the DELETE
// handler does. Memory is one page of versions whatever the bucket's size.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
// Thread-safety: RunPass runs on the caller's thread; Start/Stop own one background thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/random.h"
#include "s3/lifecycle_config.h"
#include "store/blob_store.h"
#include "store/metadata_store.h"

namespace kura::s3 {

// One version as the walk of its key sees it.
struct VersionView {
  const store::ObjectRecord& version;  // is_latest and is_delete_marker set
  // Noncurrent versions: when this version stopped being current (its successor's last_modified).
  TimePoint noncurrent_since{};
  int newer_noncurrent = 0;   // noncurrent versions of the key newer than this one
  bool only_version = false;  // a latest delete marker with no other version of its key
};

enum class LifecycleAction {
  kKeep,
  kExpireCurrent,       // DeleteObject of the key (a delete marker when versioning is on)
  kRemoveNoncurrent,    // DeleteObject of this version id, permanently
  kRemoveDeleteMarker,  // an expired object delete marker, by its version id
};

// What the rules say to do with one version at `now` (`day`: the length of a lifecycle day).
LifecycleAction DecideVersion(const LifecycleRules& rules, const VersionView& view, TimePoint now,
                              std::chrono::seconds day);

// Whether a rule aborts this upload at `now` (prefix filters only: uploads have no size or tags).
bool ShouldAbortUpload(const LifecycleRules& rules, const store::UploadRecord& upload, TimePoint now,
                       std::chrono::seconds day);

struct LifecycleWorkerOptions {
  std::chrono::seconds day{86400};  // --lifecycle-day-seconds
  int page_size = 1000;             // versions (or uploads) read per store call
};

struct LifecyclePassStats {
  int buckets = 0;  // buckets with an enabled rule
  int64_t scanned = 0;
  int64_t expired = 0;
  int64_t noncurrent_removed = 0;
  int64_t markers_removed = 0;
  int64_t uploads_aborted = 0;
  int64_t skipped_locked = 0;
  int64_t skipped_changed = 0;  // rewritten or deleted between the listing and the delete
  int64_t errors = 0;
  std::chrono::microseconds duration{};
  std::chrono::microseconds longest_write{};  // the longest single store write, commit included
};

class LifecycleWorker {
 public:
  LifecycleWorker(store::MetadataStore& metadata, store::BlobStore& blobs, const Clock& clock,
                  Random& random, LifecycleWorkerOptions options);
  ~LifecycleWorker();
  LifecycleWorker(const LifecycleWorker&) = delete;
  LifecycleWorker& operator=(const LifecycleWorker&) = delete;

  // One pass over every bucket, on the caller's thread (never an I/O thread: it blocks).
  LifecyclePassStats RunPass();
  // Runs a pass every PassInterval() on a background thread, logging one line per pass.
  void Start();
  // Stops between two store writes and joins the thread. Idempotent.
  void Stop();
  // A quarter of a lifecycle day, at most a minute: due actions are applied within it.
  std::chrono::milliseconds PassInterval() const;

 private:
  class BucketPass;
  void Loop();

  store::MetadataStore& metadata_;
  store::BlobStore& blobs_;
  const Clock& clock_;
  Random& random_;
  LifecycleWorkerOptions options_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace kura::s3
