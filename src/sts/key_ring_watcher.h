// Notices that the key ring's storage changed (`kura sts rotate-key`, or another node rotated:
// its file, or its shared document) and reloads the ring, so a running server seals new tokens
// with the new key at once while tokens of the old keys stay valid until they expire. The server
// polls it on a timer and on SIGHUP.
// Thread-safety: Poll may be called from one thread at a time.
#pragma once

#include <chrono>
#include <string>

#include "common/error.h"
#include "sts/token_key_ring.h"

namespace kura::sts {

// How often a running server polls its key rings (cmd/sts_setup.h, KeyRingReloader).
inline constexpr std::chrono::seconds kKeyRingPollInterval{5};
// How far ahead a rotation of a ring that several nodes share dates its new key
// (KeyRing::Rotate's lead time). Every node loads the key within one poll interval and only then
// does any of them seal with it, so no node meets a token sealed with a key it has not loaded.
// Two intervals leave room for a slow poll.
inline constexpr std::chrono::seconds kSharedKeyLeadTime = 2 * kKeyRingPollInterval;

class KeyRingWatcher {
 public:
  // Borrows `ring`, which must outlive the watcher.
  explicit KeyRingWatcher(TokenKeyRing& ring);

  // Reloads the ring if its storage's revision (a file's modification time and size, a
  // document's value) differs from the last poll (or `force`); true if it reloaded. On error
  // the ring keeps its keys.
  Result<bool> Poll(bool force = false);

 private:
  TokenKeyRing& ring_;
  std::string last_;
};

}  // namespace kura::sts
