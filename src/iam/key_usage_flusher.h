// Writes the access keys' last uses (KeyUsageTracker) to the metadata store
// (store::KeyUsageLog) every `interval`, off the I/O threads: a timer on the server's io_context
// posts each flush to the blocking pool and is armed again once that flush ended, so flushes
// never overlap. serve.cc picks the interval: short on shared metadata, where other nodes answer
// from the store (docs/scale-out.md), long on the embedded store, where only a restart reads
// it; and flushes once more at a clean shutdown, before the store closes (FlushNow).
// A failed flush is logged once per streak; its uses stay for the next.
// Thread-safety: Start and Stop on one thread (or while the io_context does not run); FlushNow
// after Stop, once the blocking pool has been joined.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>

#include "iam/key_usage_tracker.h"
#include "store/key_usage_log.h"

namespace kura::iam {

// With shared metadata other nodes answer GetAccessKeyLastUsed from the store: within seconds.
inline constexpr std::chrono::seconds kSharedKeyUsageFlush{5};
// On the embedded store the node answers from its own record; the store is for restarts.
inline constexpr std::chrono::seconds kEmbeddedKeyUsageFlush{60};

class KeyUsageFlusher {
 public:
  // Borrows all; the timer belongs to `io`: destroy the flusher before the io_context.
  KeyUsageFlusher(KeyUsageTracker& tracker, store::KeyUsageLog& log,
                  boost::asio::io_context& io, boost::asio::thread_pool& blocking,
                  std::chrono::milliseconds interval);
  ~KeyUsageFlusher();
  KeyUsageFlusher(const KeyUsageFlusher&) = delete;
  KeyUsageFlusher& operator=(const KeyUsageFlusher&) = delete;

  void Start();
  // Cancels the timer; a flush already posted to the pool still runs (join the pool).
  void Stop();
  // One flush on the caller's thread (shutdown).
  Result<void> FlushNow();

 private:
  void Arm();
  void Flush();  // on the blocking pool

  KeyUsageTracker& tracker_;
  store::KeyUsageLog& log_;
  boost::asio::thread_pool& blocking_;
  const std::chrono::milliseconds interval_;
  boost::asio::steady_timer timer_;
  std::atomic<bool> stopped_{false};
  bool failing_ = false;  // the last flush failed; only ever touched by one flush at a time
};

}  // namespace kura::iam
