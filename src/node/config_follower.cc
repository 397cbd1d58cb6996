#include "node/config_follower.h"

#include <boost/asio/post.hpp>

#include "common/logging.h"

namespace kura::node {
namespace {

int64_t Nanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

ConfigFollower::ConfigFollower(store::MetadataStore& metadata, std::vector<FollowedCache> caches,
                               const Clock& clock, FollowerOptions options, uint64_t loaded_at)
    : metadata_(metadata),
      caches_(std::move(caches)),
      clock_(clock),
      options_(options),
      generation_(loaded_at),
      confirmed_ns_(Nanos(clock.Now())) {}

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
// what is recorded here, so the next poll reloads again rather than keep a half-seen write.
Result<void> ConfigFollower::Poll() {
  auto generation = metadata_.ConfigGeneration();
  Result<void> polled = generation ? Result<void>(Ok()) : Result<void>(generation.error());
  if (polled && *generation != generation_.load()) polled = ReloadAll();
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
  confirmed_ns_ = Nanos(clock_.Now());
  return Ok();
}

bool ConfigFollower::Stale() const {
  auto bound = std::chrono::duration_cast<std::chrono::nanoseconds>(options_.interval) *
               options_.stale_after;
  return Nanos(clock_.Now()) - confirmed_ns_.load() > bound.count();
}

void ConfigFollower::Start(boost::asio::io_context& io, boost::asio::thread_pool& pool) {
  io_ = &io;
  pool_ = &pool;
  timer_.emplace(io);
  ArmTimer();
}

void ConfigFollower::Stop() { timer_.reset(); }

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
