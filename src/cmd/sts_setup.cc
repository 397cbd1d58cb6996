#include "cmd/sts_setup.h"

#include "common/logging.h"

namespace kura::cmd {
namespace {

void LogPoll(const std::string& name, Result<bool> polled) {
  if (!polled) {
    LogLine(LogLevel::kWarning, "cannot reload the " + name + ": " + polled.error().message);
  } else if (*polled) {
    LogLine(LogLevel::kInfo, name + " reloaded");
  }
}

}  // namespace

std::filesystem::path StsSessionJournal(const std::filesystem::path& data_dir) {
  return data_dir / "sts-sessions";
}

Result<StsParts> BuildSts(const std::filesystem::path& data_dir,
                          std::unique_ptr<sts::TokenKeyRing> ring, sts::StsConfig config,
                          const sts::RoleDirectory& roles, const Clock& clock, Random& random,
                          sts::WebIdentity web_identity, size_t max_live_sessions) {
  StsParts parts;
  if (max_live_sessions > 0) {
    auto sessions = sts::SessionRegistry::Open(
        {.max_sessions = max_live_sessions, .journal = StsSessionJournal(data_dir)}, clock);
    if (!sessions) return MakeError(sessions.error().code,
                                    "session registry: " + sessions.error().message);
    parts.sessions = std::move(*sessions);
  }
  parts.ring = std::move(ring);
  auto codec = sts::TokenCodec::Create(*parts.ring, random);
  if (!codec) return codec.error();
  parts.codec = std::move(*codec);
  parts.resolver = std::make_unique<sts::SessionCredentialResolver>(
      *parts.codec, clock, &roles, sts::kDefaultSessionCacheEntries, parts.sessions.get());
  parts.service =
      std::make_unique<sts::StsService>(std::move(config), *parts.codec, roles, clock, random,
                                        web_identity, parts.sessions.get());
  parts.watcher = std::make_unique<sts::KeyRingWatcher>(*parts.ring);
  return parts;
}

KeyRingReloader::KeyRingReloader(boost::asio::io_context& io, std::vector<WatchedKeyRing> rings)
    : rings_(std::move(rings)), timer_(io), signals_(io, SIGHUP) {
  ArmTimer();
  ArmSignal();
}

KeyRingReloader::~KeyRingReloader() {
  boost::system::error_code ignored;
  timer_.cancel();
  signals_.cancel(ignored);
}

void KeyRingReloader::ArmTimer() {
  timer_.expires_after(sts::kKeyRingPollInterval);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    PollAll(/*force=*/false);
    ArmTimer();
  });
}

void KeyRingReloader::ArmSignal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    PollAll(/*force=*/true);
    ArmSignal();
  });
}

void KeyRingReloader::PollAll(bool force) {
  for (const WatchedKeyRing& ring : rings_) LogPoll(ring.name, ring.watcher->Poll(force));
}

}  // namespace kura::cmd
