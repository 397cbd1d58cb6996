// The file of a key ring (common/key_ring.h): a small text file (format in
// docs/formats/session-token.md; the master key ring's differs only in its header line),
// written as a unique 0600 temp file + fsync + rename + fsync(dir), so a crash leaves the old
// file or the new one, never a mix. Reading refuses a file that group or others can access, a
// symlink, or anything malformed.
// Thread-safety: pure functions over the file system; concurrent writers to one path each
// leave a whole file (last rename wins) — KeyRing serializes its own.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/key_ring.h"

namespace kura {

// Text form of a key set, and back. Parse fails (kInternalError) on anything malformed,
// including another kind's header or a set without exactly one active key at the front.
std::string FormatKeyFile(const KeyRingKind& kind, const KeySet& keys);
Result<KeySet> ParseKeyFile(const KeyRingKind& kind, std::string_view text);

// A missing file is kNoSuchEntity (so the caller may create it); any other failure is
// kInternalError with the reason.
Result<KeySet> ReadKeyFile(const KeyRingKind& kind, const std::filesystem::path& path);
Result<void> WriteKeyFile(const KeyRingKind& kind, const std::filesystem::path& path,
                          const KeySet& keys);

// A ring kept in one file (KeyRing::OpenOrCreate with a path). Replace always writes: a file
// has no compare-and-set, so of two writers the last rename wins. Revision is the file's
// modification time and size, read with one stat(2).
class KeyRingFileStorage final : public KeyRingStorage {
 public:
  KeyRingFileStorage(const KeyRingKind& kind, std::filesystem::path path)
      : kind_(kind), path_(std::move(path)) {}
  Result<StoredKeySet> Load() override;
  Result<bool> Replace(const StoredKeySet* base, const KeySet& next) override;
  std::string Revision() const override;

 private:
  const KeyRingKind& kind_;
  const std::filesystem::path path_;
};

}  // namespace kura
