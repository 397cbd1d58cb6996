// Notices that the key ring's file changed (`kura sts rotate-key`, or another node rotated) and
// reloads the ring, so a running server seals new tokens with the new key at once while tokens
// of the old keys stay valid until they expire. The server polls it on a timer and on SIGHUP.
// Thread-safety: Poll may be called from one thread at a time.
#pragma once

#include <filesystem>

#include "common/error.h"
#include "sts/token_key_ring.h"

namespace kura::sts {

class KeyRingWatcher {
 public:
  // Borrows `ring`, which must have been loaded from `path`.
  KeyRingWatcher(TokenKeyRing& ring, std::filesystem::path path);

  // Reloads the ring if the file's modification time or size differs from the last poll (or
  // `force`); true if it reloaded. On error the ring keeps its keys.
  Result<bool> Poll(bool force = false);

 private:
  struct Stamp {
    std::filesystem::file_time_type mtime{};
    uintmax_t size = 0;
    bool operator==(const Stamp&) const = default;
  };
  Stamp Look() const;

  TokenKeyRing& ring_;
  std::filesystem::path path_;
  Stamp last_;
};

}  // namespace kura::sts
