#include "node/config_follower.h"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "common/logging.h"

namespace kura::node {
namespace {

int64_t Nanos(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::chrono::milliseconds StaleBoundFor(std::chrono::milliseconds interval) {
  return std::max(std::chrono::milliseconds(2000), interval * 5);
}

std::chrono::milliseconds LivenessBound(const FollowerOptions& options) {
  return options.stale_after + std::max(std::chrono::milliseconds(500), options.interval);
}

ConfigFollower::ConfigFollower(store::MetadataStore& metadata, store::NodeRegistry* registry,
                               std::vector<FollowedCache> caches, FollowerOptions options,
                               uint64_t loaded_at, SteadyNow now)
    : metadata_(metadata),
      registry_(registry),
      caches_(std::move(caches)),
      options_(std::move(options)),
      now_(std::move(now)),
      generation_(loaded_at),
      confirmed_ns_(0) {}

Result<void> ConfigFollower::ReloadAll() {
  for (const FollowedCache& cache : caches_) {
    if (auto reloaded = cache.reload(); !reloaded) {
      return MakeError(reloaded.error().code,
                       "reloading " + cache.name + ": " + reloaded.error().message);
    }
  }
  return Ok();
}

// The generation is read before the caches: a write committed during the reload moves it past
// what is recorded here, so the next poll reloads again rather than keep a half-seen write. The
// confirmation is written after both, so a writer that sees it knows the caches hold its write;
// the poll's start (before all three) is what keeps the node fresh, so that the node fences
// itself no later than stale_after after its last heartbeat's write (see LivenessBound).
Result<void> ConfigFollower::Poll() {
  std::lock_guard lock(poll_mutex_);
  if (left_) return MakeError(ErrorCode::kServiceUnavailable, "the follower stopped");
  const auto started = now_();
  auto generation = metadata_.ConfigGeneration();
  Result<void> polled = generation ? Result<void>(Ok()) : Result<void>(generation.error());
  if (polled && *generation != generation_.load()) polled = ReloadAll();
  if (polled && registry_ != nullptr) {
    polled = registry_->ConfirmFollowing(options_.node_id, *generation);
  }
  if (!polled) {
    if (!failing_) {
      LogLine(LogLevel::kWarning, "config: cannot follow the shared store's configuration: " +
                                      polled.error().message);
    }
    failing_ = true;
    return polled;
  }
  if (failing_) LogLine(LogLevel::kInfo, "config: following the shared store again");
  failing_ = false;
  generation_ = *generation;
  confirmed_ns_ = Nanos(started);
  confirmed_once_ = true;
  return Ok();
}

bool ConfigFollower::Stale() const {
  if (!confirmed_once_.load()) return true;
  auto bound = std::chrono::duration_cast<std::chrono::nanoseconds>(options_.stale_after);
  return Nanos(now_()) - confirmed_ns_.load() > bound.count();
}

void ConfigFollower::Start(boost::asio::io_context& io, boost::asio::thread_pool& pool) {
  io_ = &io;
  pool_ = &pool;
  timer_.emplace(io);
  ArmTimer();
}

void ConfigFollower::Stop() {
  timer_.reset();
  std::lock_guard lock(poll_mutex_);
  if (left_ || registry_ == nullptr) return;
  left_ = true;
  if (auto left = registry_->LeaveFollowing(options_.node_id); !left) {
    LogLine(LogLevel::kWarning, "config: cannot leave the node registry (writers wait for this "
                                "node until its heartbeat ages out): " + left.error().message);
  }
}

void ConfigFollower::ArmTimer() {
  if (!timer_) return;
  timer_->expires_after(options_.interval);
  timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    boost::asio::post(*pool_, [this] {
      (void)Poll();  // logged inside; staleness is the consequence
      boost::asio::post(*io_, [this] { ArmTimer(); });
    });
  });
}

}  // namespace kura::node
