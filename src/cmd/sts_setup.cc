#include "cmd/sts_setup.h"

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

}  // namespace

std::filesystem::path StsKeyFile(const std::filesystem::path& data_dir) {
  return data_dir / "sts-keys";
}

Result<StsParts> BuildSts(const std::filesystem::path& data_dir, sts::StsConfig config,
                          const sts::RoleDirectory& roles, const Clock& clock, Random& random,
                          sts::WebIdentity web_identity) {
  StsParts parts;
  auto ring =
      sts::TokenKeyRing::OpenOrCreate(StsKeyFile(data_dir), sts::kTokenKeys, random, clock.Now());
  if (!ring) return ring.error();
  parts.ring = std::move(*ring);
  auto codec = sts::TokenCodec::Create(*parts.ring, random);
  if (!codec) return codec.error();
  parts.codec = std::move(*codec);
  parts.resolver = std::make_unique<sts::SessionCredentialResolver>(*parts.codec, clock, &roles);
  parts.service =
      std::make_unique<sts::StsService>(std::move(config), *parts.codec, roles, clock, random,
                                        web_identity);
  parts.watcher = std::make_unique<sts::KeyRingWatcher>(*parts.ring, StsKeyFile(data_dir));
  return parts;
}

KeyRingReloader::KeyRingReloader(boost::asio::io_context& io, sts::KeyRingWatcher& watcher)
    : watcher_(watcher), timer_(io), signals_(io, SIGHUP) {
  ArmTimer();
  ArmSignal();
}

KeyRingReloader::~KeyRingReloader() {
  boost::system::error_code ignored;
  timer_.cancel();
  signals_.cancel(ignored);
}

void KeyRingReloader::ArmTimer() {
  timer_.expires_after(kKeyRingPollInterval);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    LogPoll(watcher_.Poll());
    ArmTimer();
  });
}

void KeyRingReloader::ArmSignal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    LogPoll(watcher_.Poll(/*force=*/true));
    ArmSignal();
  });
}

}  // namespace kura::cmd
