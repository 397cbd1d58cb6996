// Wiring of STS into `kura serve`: around the token key ring (from the node's state,
// node/node_state.h: DATA/sts-keys or a shared document), the codec, the session credential
// resolver and the STS service, and the key ring's reload on SIGHUP and every few seconds (so
// `kura sts rotate-key`, or another node's rotation, takes effect in a running server).
// Wiring only. Thread-safety: built at start-up; the parts are thread-safe.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/random.h"
#include "sts/key_ring_watcher.h"
#include "sts/role_directory.h"
#include "sts/session_resolver.h"
#include "sts/sts_service.h"

namespace kura::cmd {

struct StsParts {
  // First, so that it goes last: the resolver and the service record into it. Null when off.
  std::unique_ptr<sts::SessionRegistry> sessions;
  std::unique_ptr<sts::TokenKeyRing> ring;
  std::unique_ptr<sts::TokenCodec> codec;
  std::unique_ptr<sts::SessionCredentialResolver> resolver;  // chain it after the AKIA resolvers
  std::unique_ptr<sts::StsService> service;
  std::unique_ptr<sts::KeyRingWatcher> watcher;
};

// The session registry's journal in a data dir.
std::filesystem::path StsSessionJournal(const std::filesystem::path& data_dir);

// `random` must be thread-safe (SecureRandom); everything borrowed must outlive the parts.
// `ring`: the token key ring (NodeState::OpenTokenKeyRing). `max_live_sessions`: the session
// registry's bound (--sts-max-live-sessions; 0 = no registry).
Result<StsParts> BuildSts(const std::filesystem::path& data_dir,
                          std::unique_ptr<sts::TokenKeyRing> ring, sts::StsConfig config,
                          const sts::RoleDirectory& roles, const Clock& clock, Random& random,
                          sts::WebIdentity web_identity, size_t max_live_sessions);

// A key ring a running server follows, named in its log lines ("sts: token key ring").
struct WatchedKeyRing {
  std::string name;
  sts::KeyRingWatcher* watcher;
};

// Polls the watchers every sts::kKeyRingPollInterval and on SIGHUP, on `io`, until destroyed, so a
// rotation (`kura sts rotate-key`, `kura kms rotate-master-key`, another node's) takes effect
// without a restart: on every node within that interval (plus one read of the ring's
// storage). Destroy it before the io_context (its timer and signal set belong to it).
class KeyRingReloader {
 public:
  KeyRingReloader(boost::asio::io_context& io, std::vector<WatchedKeyRing> rings);
  ~KeyRingReloader();
  KeyRingReloader(const KeyRingReloader&) = delete;
  KeyRingReloader& operator=(const KeyRingReloader&) = delete;

 private:
  void ArmTimer();
  void ArmSignal();
  void PollAll(bool force);

  std::vector<WatchedKeyRing> rings_;
  boost::asio::steady_timer timer_;
  boost::asio::signal_set signals_;
};

// `kura sts …` admin commands (rotate-key, revoke-sessions); returns the exit code.
int StsCommand(const std::vector<std::string>& args);

}  // namespace kura::cmd
