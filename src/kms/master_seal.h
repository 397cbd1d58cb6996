// Sealing a secret (an SSE-S3 data key, a KMS key's material) under the master key ring, and
// opening it again. The sealed form names the master key that sealed it, so it opens after
// any number of rotations:
//   'k' 1 | key id (4 bytes, big-endian) | nonce (12) | AES-256-GCM(secret) | tag (16)
// The nonce is random (each master key seals far fewer than the 2^32 secrets SP 800-38D allows
// for random nonces). The associated data is the 6 header bytes followed by the caller's
// `purpose`, so a sealed secret cannot be passed off as another kind (an SSE-S3 data key as a
// KMS key's material) or as another key's material.
// Thread-safety: pure functions (Random must be thread-safe to be shared).
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "common/key_ring.h"
#include "common/random.h"
#include "common/secret.h"

namespace kura::kms {

// Seals `secret` under the active key of `keys`.
std::string SealUnderMaster(const KeySet& keys, Random& random, std::string_view secret,
                            std::string_view purpose);
// Opens what SealUnderMaster sealed with the same `purpose`. kInternalError (without key
// material) when it is malformed, names a key `keys` does not hold, or fails authentication.
Result<Secret> OpenUnderMaster(const KeySet& keys, std::string_view sealed,
                               std::string_view purpose);

}  // namespace kura::kms
