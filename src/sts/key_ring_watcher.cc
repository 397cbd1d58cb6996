#include "sts/key_ring_watcher.h"

namespace kura::sts {

KeyRingWatcher::KeyRingWatcher(TokenKeyRing& ring, std::filesystem::path path)
    : ring_(ring), path_(std::move(path)), last_(Look()) {}

KeyRingWatcher::Stamp KeyRingWatcher::Look() const {
  std::error_code ec;
  Stamp stamp;
  stamp.mtime = std::filesystem::last_write_time(path_, ec);
  if (ec) return {};
  stamp.size = std::filesystem::file_size(path_, ec);
  return ec ? Stamp{} : stamp;
}

Result<bool> KeyRingWatcher::Poll(bool force) {
  Stamp now = Look();
  if (!force && now == last_) return false;
  KURA_TRY(ring_.Reload());
  last_ = now;
  return true;
}

}  // namespace kura::sts
