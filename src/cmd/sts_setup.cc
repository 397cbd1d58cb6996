#include "cmd/sts_setup.h"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/logging.h"

namespace kura::cmd {
namespace {

constexpr std::chrono::seconds kKeyRingPollInterval{5};

void LogPoll(Result<bool> polled) {
  if (!polled) {
    LogLine(LogLevel::kWarning, "sts: cannot reload the token key ring: " + polled.error().message);
  } else if (*polled) {
    LogLine(LogLevel::kInfo, "sts: token key ring reloaded");
  }
}

void ArmTimer(std::shared_ptr<boost::asio::steady_timer> timer, sts::KeyRingWatcher& watcher) {
  timer->expires_after(kKeyRingPollInterval);
  timer->async_wait([timer, &watcher](const boost::system::error_code& ec) {
    if (ec) return;
    LogPoll(watcher.Poll());
    ArmTimer(timer, watcher);
  });
}

void ArmSignal(std::shared_ptr<boost::asio::signal_set> signals, sts::KeyRingWatcher& watcher) {
  signals->async_wait([signals, &watcher](const boost::system::error_code& ec, int) {
    if (ec) return;
    LogPoll(watcher.Poll(/*force=*/true));
    ArmSignal(signals, watcher);
  });
}

}  // namespace

std::filesystem::path StsKeyFile(const std::filesystem::path& data_dir) {
  return data_dir / "sts-keys";
}

Result<StsParts> BuildSts(const std::filesystem::path& data_dir, sts::StsConfig config,
                          const sts::RoleDirectory& roles, const Clock& clock, Random& random) {
  StsParts parts;
  auto ring = sts::TokenKeyRing::OpenOrCreate(StsKeyFile(data_dir), random, clock.Now());
  if (!ring) return ring.error();
  parts.ring = std::move(*ring);
  auto codec = sts::TokenCodec::Create(*parts.ring, random);
  if (!codec) return codec.error();
  parts.codec = std::move(*codec);
  parts.resolver = std::make_unique<sts::SessionCredentialResolver>(*parts.codec, clock, &roles);
  parts.service =
      std::make_unique<sts::StsService>(std::move(config), *parts.codec, roles, clock, random);
  parts.watcher = std::make_unique<sts::KeyRingWatcher>(*parts.ring, StsKeyFile(data_dir));
  return parts;
}

void WatchKeyRing(boost::asio::io_context& io, sts::KeyRingWatcher& watcher) {
  ArmTimer(std::make_shared<boost::asio::steady_timer>(io), watcher);
  ArmSignal(std::make_shared<boost::asio::signal_set>(io, SIGHUP), watcher);
}

}  // namespace kura::cmd
