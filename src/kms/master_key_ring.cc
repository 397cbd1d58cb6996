#include "kms/master_key_ring.h"

#include <sys/stat.h>

#include <openssl/crypto.h>

#include <string>
#include <system_error>

#include "common/crypto.h"
#include "common/encoding.h"

namespace kura::kms {
namespace {

// The one key of KURA_MASTER_KEY; its value never appears in an error.
Result<KeySet> EnvKeySet(std::string_view hex, TimePoint now) {
  auto bytes = HexDecode(hex);
  if (!bytes || bytes->size() != kRingKeyBytes) {
    if (bytes) OPENSSL_cleanse(bytes->data(), bytes->size());
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(kMasterKeyEnv) + " must be " +
                         std::to_string(2 * kRingKeyBytes) + " hex digits");
  }
  KeySet set;
  set.keys.push_back(RingKey{kEnvMasterKeyId, Secret(std::move(*bytes)), now, std::nullopt});
  return set;
}

Result<void> CreateParent(const std::filesystem::path& file) {
  std::filesystem::path parent = file.parent_path();
  if (parent.empty()) return Ok();
  std::error_code ec;
  if (std::filesystem::create_directories(parent, ec)) ::chmod(parent.c_str(), 0700);
  if (ec) {
    return MakeError(ErrorCode::kInternalError,
                     "cannot create " + parent.string() + ": " + ec.message());
  }
  return Ok();
}

}  // namespace

std::filesystem::path MasterKeyFile(const std::filesystem::path& data_dir,
                                    std::string_view flag_value) {
  if (!flag_value.empty()) return std::filesystem::path(flag_value);
  return data_dir / "kms" / "master.keys";
}

Result<std::unique_ptr<KeyRing>> OpenMasterKeyRing(const MasterKeySource& source, Random& random,
                                                   TimePoint now) {
  if (!source.env_key.empty()) {
    auto keys = EnvKeySet(source.env_key, now);
    if (!keys) return keys.error();
    return KeyRing::InMemory(kMasterKeys, std::move(*keys), random);
  }
  KURA_TRY(CreateParent(source.file));
  return KeyRing::OpenOrCreate(source.file, kMasterKeys, random, now);
}

Result<uint32_t> RotateMasterKey(const MasterKeySource& source, Random& random, TimePoint now) {
  if (!source.env_key.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the master key comes from " + std::string(kMasterKeyEnv) +
                         ", a single key that cannot be rotated (what it sealed needs it); "
                         "unset it to use a key file, which can");
  }
  auto ring = OpenMasterKeyRing(source, random, now);
  if (!ring) return ring.error();
  KURA_TRY((*ring)->Rotate(now));
  return (*ring)->Snapshot()->Active().id;
}

}  // namespace kura::kms
