#include "sts/key_ring_watcher.h"

namespace kura::sts {

KeyRingWatcher::KeyRingWatcher(TokenKeyRing& ring) : ring_(ring), last_(ring.StoredRevision()) {}

Result<bool> KeyRingWatcher::Poll(bool force) {
  std::string now = ring_.StoredRevision();
  if (!force && now == last_) return false;
  KURA_TRY(ring_.Reload());
  last_ = std::move(now);
  return true;
}

}  // namespace kura::sts
