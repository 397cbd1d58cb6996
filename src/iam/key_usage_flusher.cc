#include "iam/key_usage_flusher.h"

#include <boost/asio/post.hpp>

#include "common/logging.h"

namespace kura::iam {

KeyUsageFlusher::KeyUsageFlusher(KeyUsageTracker& tracker, store::KeyUsageLog& log,
                                 boost::asio::io_context& io, boost::asio::thread_pool& blocking,
                                 std::chrono::milliseconds interval)
    : tracker_(tracker), log_(log), blocking_(blocking), interval_(interval), timer_(io) {}

KeyUsageFlusher::~KeyUsageFlusher() { Stop(); }

void KeyUsageFlusher::Start() {
  stopped_ = false;
  Arm();
}

void KeyUsageFlusher::Stop() {
  stopped_ = true;
  timer_.cancel();
}

void KeyUsageFlusher::Arm() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    boost::asio::post(blocking_, [this] {
      Flush();
      // Armed again on the timer's own executor, once this flush ended. After Stop, the
      // io_context no longer runs and drops the handler unrun.
      boost::asio::post(timer_.get_executor(), [this] {
        if (!stopped_) Arm();
      });
    });
  });
}

void KeyUsageFlusher::Flush() { (void)FlushNow(); }

Result<void> KeyUsageFlusher::FlushNow() {
  Result<void> flushed = tracker_.Flush(log_);
  if (!flushed && !failing_) {
    LogLine(LogLevel::kWarning,
            "iam: cannot write the access keys' last uses (kept for the next try): " +
                flushed.error().message);
  } else if (flushed && failing_) {
    LogLine(LogLevel::kInfo, "iam: the access keys' last uses are written again");
  }
  failing_ = !flushed;
  return flushed;
}

}  // namespace kura::iam
