// The master key ring: the root of kura's key hierarchy (docs/kms.md). Its keys seal each
// SSE-S3 data key and each KMS key's material; nothing they seal is stored beside them. The
// ring is a KeyRing (common/key_ring.h) in its own file, by default DATA/kms/master.keys (0600,
// replaced atomically, format as docs/formats/session-token.md with header
// "kura-master-keys 1"). Rotation makes a new key seal new data; old keys stay for ever, since
// objects sealed under them live as long as they are not rewritten.
//
// A deployment that keeps the master key elsewhere (a secrets manager, a TPM-backed file)
// passes it in the environment instead (KURA_MASTER_KEY, 64 hex digits): a one-key ring in
// memory, with id 1, that cannot be rotated.
// Thread-safety: pure functions; the ring is thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "common/key_ring.h"
#include "common/random.h"

namespace kura::kms {

inline constexpr KeyRingKind kMasterKeys{"kura-master-keys 1", "master key file", std::nullopt};
inline constexpr char kMasterKeyEnv[] = "KURA_MASTER_KEY";
// The id of the one key KURA_MASTER_KEY supplies.
inline constexpr uint32_t kEnvMasterKeyId = 1;

// Where the ring comes from: `env_key` (the value of KURA_MASTER_KEY) when not empty, else
// `file`.
struct MasterKeySource {
  std::filesystem::path file;
  std::string_view env_key;
};

// The ring's file: `flag_value` (--master-key-file) when not empty, else DATA/kms/master.keys.
std::filesystem::path MasterKeyFile(const std::filesystem::path& data_dir,
                                    std::string_view flag_value);

// Opens the ring, creating its file (and a missing parent directory, 0700) with one fresh key
// on first start. kInvalidArgument for a malformed KURA_MASTER_KEY; kInternalError for a file
// that cannot be read or written.
Result<std::unique_ptr<KeyRing>> OpenMasterKeyRing(const MasterKeySource& source, Random& random,
                                                   TimePoint now);

// Makes a new active master key in the file and returns its id. Refused (kInvalidArgument, with
// the reason) when the key comes from KURA_MASTER_KEY.
Result<uint32_t> RotateMasterKey(const MasterKeySource& source, Random& random, TimePoint now);

}  // namespace kura::kms
