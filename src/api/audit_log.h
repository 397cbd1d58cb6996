// The audit trail: one CloudTrail-shaped JSON record per request (audit_record.h), written
// without making requests wait for the disk. Requests hand their record to a bounded queue; one
// writer thread takes everything queued at once and writes it with a single write(2) (a busy
// server's records share their writes; an idle one's go out one by one, at once). When the disk
// cannot keep up and the queue holds kAuditQueueBytes (below), further records are dropped and
// counted (dropped_records(), for the metrics) — requests are never slowed or refused for the
// audit's sake. Records that fail to be written (a full disk) are counted as dropped too.
// The destructor writes what is queued and joins the writer: a clean stop loses no record.
// Disabled ("off"), nothing is built: Record's builder is not called.
// Thread-safety: Record, Submit and the counters may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/audit_file.h"
#include "common/error.h"

namespace kura::api {

// Records waiting to be written, in bytes. At ~1 KiB a record, some 8000 requests' worth: seconds
// of a busy server's records, enough to ride out a slow disk's stall. Beyond it records are
// dropped and counted rather than making requests wait. kura's own choice (no AWS figure mirrors
// it, hence not in common/limits.h).
inline constexpr size_t kAuditQueueBytes = 8 << 20;
// How long the writer lets records gather after the first one arrives, unless kAuditBatchBytes
// are queued sooner. Waking the writer for every record cost each request a futex wake, two
// context switches and a write(2) of its own (measured: +20 µs of server CPU per request with the
// writer on the request's core); lingering makes them one per batch. A crash loses at most this
// much more of the records than before.
inline constexpr std::chrono::milliseconds kAuditLinger{10};
inline constexpr size_t kAuditBatchBytes = 64 << 10;

struct AuditLogOptions {
  AuditFileOptions file;  // path "-" = standard error
  size_t queue_bytes = kAuditQueueBytes;
};

class AuditLog {
 public:
  // A disabled audit log (--audit-log off): Record builds nothing, writes nothing.
  AuditLog() = default;
  // Opens the file and starts the writer. Errors: the file's (AuditFile::Open).
  static Result<std::unique_ptr<AuditLog>> Open(AuditLogOptions options);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  bool enabled() const { return file_ != nullptr; }

  // Queues the record `build()` returns (one JSON line), calling `build` only when enabled.
  template <class Build>
  void Record(Build&& build) {
    if (!enabled()) return;
    Submit(build());
  }
  // Queues one record (its text ending in '\n'); dropped and counted when the queue is full.
  void Submit(std::string record);

  // Records dropped because the queue was full or their write failed, since start.
  std::uint64_t dropped_records() const { return dropped_.load(std::memory_order_relaxed); }
  // Records written, since start.
  std::uint64_t written_records() const { return written_.load(std::memory_order_relaxed); }
  // write(2) calls made, one per batch (for tests and the benchmark).
  std::uint64_t writes() const { return writes_.load(std::memory_order_relaxed); }

 private:
  AuditLog(std::unique_ptr<AuditFile> file, size_t queue_bytes);
  void WriterLoop();
  void WriteBatch(std::vector<std::string>& batch, std::string& buffer);

  std::unique_ptr<AuditFile> file_;  // the writer's alone once it runs
  size_t queue_bytes_ = 0;

  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<std::string> queue_;  // guarded by mu_
  size_t queued_bytes_ = 0;         // guarded by mu_
  bool stopping_ = false;           // guarded by mu_
  bool writer_idle_ = false;        // guarded by mu_: waiting for a first record, to be woken

  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> writes_{0};
  std::thread writer_;
};

}  // namespace kura::api
