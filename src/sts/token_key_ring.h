// The keys that seal and open session tokens: a key ring (common/key_ring.h) whose retired keys
// are kept until every token they sealed has expired (kTokenKeyRetention), then pruned. Every
// node holding the ring's file (DATA/sts/token.keys, docs/formats/session-token.md) validates
// every other node's tokens.
// Thread-safety: as KeyRing.
#pragma once

#include <chrono>

#include "common/key_ring.h"
#include "common/limits.h"

namespace kura::sts {

inline constexpr size_t kTokenKeyBytes = kRingKeyBytes;
// The longest a session can live (GetSessionToken's 36 h): a retired key is kept this long.
inline constexpr std::chrono::seconds kTokenKeyRetention{limits::kMaxGetSessionTokenSeconds};
inline constexpr KeyRingKind kTokenKeys{"kura-session-token-keys 1", "session token key file",
                                        kTokenKeyRetention};

using TokenKey = RingKey;
using TokenKeyRing = KeyRing;
using kura::KeySet;

inline TokenKey NewTokenKey(Random& random, uint32_t id, TimePoint now) {
  return NewRingKey(random, id, now);
}

}  // namespace kura::sts
